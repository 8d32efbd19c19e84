import CStubs
import Testing

@testable import CoreStore

@Suite("XXH3 (libxxhash, selected kernels)")
struct XXH3Tests {
    @Test("the empty input hashes to XXH3's published value")
    func emptyInput() {
        #expect(XXH3.hash64([]) == 0x2D06_8005_38D3_94C2)
        #expect(XXH3Hasher().digest() == 0x2D06_8005_38D3_94C2)
    }

    @Test(
        "the selected one-shot and streaming hashes equal libxxhash's plain XXH3 at every size up to 3 KiB and beyond a block"
    )
    func dispatchedEqualsPlain() {
        var random = SeededGenerator(seed: 11)
        let data = (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for length in Array(0...3072) + [65_536, 65_537, 1 << 20] {
            let slice = Array(data[0..<length])
            let plain = XXH3_64bits(slice, slice.count)
            #expect(XXH3.hash64(slice) == plain, "length \(length)")
            let hasher = XXH3Hasher()
            var offset = 0
            while offset < length {
                let piece = min(length - offset, 1 + Int(random.next() % 70_000))
                slice.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + piece])) }
                offset += piece
            }
            #expect(hasher.digest() == plain, "streamed length \(length)")
        }
    }

    @Test(
        "libxxhash's dispatcher (its AVX2/AVX-512 kernels) equals plain XXH3 at every size up to 3 KiB and beyond a block",
        .enabled(
            if: SIMDKernels.xxh3 != "default",
            Comment(rawValue: SIMDKernels.unavailableReason(.avx2) ?? "UDS_SIMD rules out libxxhash's dispatcher")))
    func dispatcherEqualsPlain() {
        var random = SeededGenerator(seed: 12)
        let data = (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for length in Array(0...3072) + [65_536, 65_537, 1 << 20] {
            let slice = Array(data[0..<length])
            #expect(cstubs_xxh3_64_dispatch(slice, slice.count) == XXH3_64bits(slice, slice.count), "length \(length)")
        }
    }
}
