import CoreStore
import TestSupport
import Testing

@Suite("resumable MD5 and its checkpoint")
struct MD5CheckpointTests {
    let data = MultipartBody.randomBytes(1_048_576 + 37)

    @Test("known vectors")
    func vectors() {
        #expect(ResumableMD5().finalize().hex == "d41d8cd98f00b204e9800998ecf8427e")
        var abc = ResumableMD5()
        Array("abc".utf8).withUnsafeBytes { abc.update($0) }
        #expect(abc.finalize().hex == "900150983cd24fb0d6963f7d28e17f72")
    }

    @Test(
        "state after N×64 bytes, serialized, restored and continued is the MD5 of the whole",
        arguments: [0, 1, 7, 1000, 16384])
    func roundTrip(blocks: Int) throws {
        let cut = blocks * 64
        var first = ResumableMD5()
        feed(&first, data[0..<cut], chunk: 1000)
        let checkpoint = try #require(first.checkpoint)
        #expect(checkpoint.byteCount == UInt64(cut))
        let restored = try MD5Checkpoint(serialized: checkpoint.serialized)
        #expect(restored == checkpoint)
        var second = ResumableMD5(resuming: restored)
        feed(&second, data[cut...], chunk: 4099)
        #expect(second.finalize() == MD5Hasher.digest(data))
    }

    @Test("no checkpoint between 64-byte boundaries; a corrupt serialization is refused")
    func boundaries() {
        var hasher = ResumableMD5()
        feed(&hasher, data[0..<65], chunk: 65)
        #expect(hasher.checkpoint == nil)
        feed(&hasher, data[65..<128], chunk: 10)
        #expect(hasher.checkpoint?.byteCount == 128)
        #expect(throws: CoreStoreError.self) { try MD5Checkpoint(serialized: "zz") }
        #expect(throws: CoreStoreError.self) {
            try MD5Checkpoint(serialized: String(repeating: "0", count: 32) + "01" + String(repeating: "0", count: 14))
        }
    }

    private func feed(_ hasher: inout ResumableMD5, _ bytes: ArraySlice<UInt8>, chunk: Int) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = min(start + chunk, bytes.endIndex)
            bytes[start..<end].withUnsafeBytes { hasher.update($0) }
            start = end
        }
    }
}
