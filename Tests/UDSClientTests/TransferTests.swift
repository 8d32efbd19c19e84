import Crypto
import Foundation
import TestSupport
import Testing
import UDSClient

/// Uploads, downloads, resumes and listings through ``UDSClient`` against real in-process nodes.
@Suite("UDSClient transfers against real nodes")
struct TransferTests {
    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func contents(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { Array($0) } }

    @Test("a small file goes up as one multipart POST (with its record) and comes back byte-identical")
    func smallRoundTrip() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client()
            let bytes = MultipartBody.randomBytes(300_000, seed: 1)
            let log = ProgressLog()
            let stored = try await client.upload(file: nodes.file("small.bin", bytes), progress: log.handler)
            #expect(stored.name == "small.bin")
            #expect(stored.size == 300_000)
            #expect(stored.md5 == Self.md5(bytes))
            #expect(stored.fileID != nil, "the multipart POST answers the record")
            #expect(log.all.last?.completedBytes == 300_000)

            let target = nodes.directory + "/small.out"
            let result = try await client.download(name: "small.bin", to: target)
            #expect(Self.contents(target) == bytes)
            #expect(result.md5 == Self.md5(bytes))
            #expect(result.transferredBytes == 300_000)
            #expect(!result.resumed)
            #expect(!FileManager.default.fileExists(atPath: target + ".part"))
            #expect(!FileManager.default.fileExists(atPath: target + ".part.etag"))
        }
    }

    @Test("names with non-ASCII, quotes and spaces survive the form's filename* and the path encoding")
    func unusualNames() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client()
            let name = "h\u{E9}llo \"w\u{F6}rld\" 100%.txt"
            let bytes = Array("hello\n".utf8)
            let stored = try await client.upload(file: nodes.file("plain.txt", bytes), name: name)
            #expect(stored.name == name)
            let listed = try await client.list().allFiles().map(\.name)
            #expect(listed == [name])
            let target = nodes.directory + "/unusual.out"
            _ = try await client.download(name: name, to: target)
            #expect(Self.contents(target) == bytes)
        }
    }

    @Test("above the threshold the file goes up with tus in several PATCHes, and downloads identical")
    func largeViaTus() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client {
                $0.resumableThreshold = 1024 * 1024
                $0.resumableChunkBytes = 5 * 1024 * 1024
            }
            let bytes = MultipartBody.randomBytes(11 * 1024 * 1024 + 7, seed: 2)
            let log = ProgressLog()
            let stored = try await client.upload(file: nodes.file("large.bin", bytes), progress: log.handler)
            #expect(stored.fileID == nil, "a tus upload's last PATCH answers 204 without a record")
            #expect(stored.md5 == Self.md5(bytes))
            #expect(log.all.map(\.completedBytes) == [5_242_880, 10_485_760, Int64(bytes.count)], "one step per PATCH")
            let target = nodes.directory + "/large.out"
            let result = try await client.download(name: "large.bin", to: target)
            #expect(result.md5 == Self.md5(bytes))
            #expect(Self.contents(target) == bytes)
        }
    }

    @Test("a partial file with its ETag resumes: only the rest is fetched (Range + If-Range)")
    func resumesPartial() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client()
            let bytes = MultipartBody.randomBytes(3 * 1024 * 1024, seed: 3)
            _ = try await client.upload(file: nodes.file("resume.bin", bytes))
            let target = nodes.directory + "/resume.out"
            let kept = 1024 * 1024 + 5
            _ = FileManager.default.createFile(atPath: target + ".part", contents: Data(bytes[..<kept]))
            try Data("\"\(Self.md5(bytes))\"\n".utf8).write(to: URL(fileURLWithPath: target + ".part.etag"))
            let log = ProgressLog()
            let result = try await client.download(name: "resume.bin", to: target, progress: log.handler)
            #expect(result.resumed)
            #expect(result.transferredBytes == Int64(bytes.count - kept))
            #expect(log.all.last?.transferredBytes == Int64(bytes.count - kept))
            #expect(log.all.first.map { $0.completedBytes > Int64(kept) } == true)
            #expect(Self.contents(target) == bytes)
            #expect(!FileManager.default.fileExists(atPath: target + ".part.etag"))
        }
    }

    @Test("a partial file of a version since replaced: If-Range fails, the new version is fetched whole")
    func ifRangeMismatchRestarts() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client()
            let old = MultipartBody.randomBytes(2 * 1024 * 1024, seed: 4)
            let new = MultipartBody.randomBytes(2 * 1024 * 1024, seed: 5)
            _ = try await client.upload(file: nodes.file("v.bin", old), name: "doc.bin")
            let target = nodes.directory + "/doc.out"
            _ = FileManager.default.createFile(atPath: target + ".part", contents: Data(old[..<1_000_000]))
            try Data("\"\(Self.md5(old))\"".utf8).write(to: URL(fileURLWithPath: target + ".part.etag"))
            _ = try await client.upload(file: nodes.file("v2.bin", new), name: "doc.bin")
            let result = try await client.download(name: "doc.bin", to: target)
            #expect(!result.resumed)
            #expect(result.transferredBytes == Int64(new.count))
            #expect(Self.contents(target) == new)
        }
    }

    @Test("a partial file whose bytes are wrong fails the MD5 check; the partial file is removed")
    func corruptPartialIsCaught() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client()
            let bytes = MultipartBody.randomBytes(1_000_000, seed: 6)
            _ = try await client.upload(file: nodes.file("c.bin", bytes))
            let target = nodes.directory + "/c.out"
            _ = FileManager.default.createFile(atPath: target + ".part", contents: Data(repeating: 0, count: 4096))
            try Data("\"\(Self.md5(bytes))\"".utf8).write(to: URL(fileURLWithPath: target + ".part.etag"))
            await #expect {
                _ = try await client.download(name: "c.bin", to: target)
            } throws: { error in
                guard case ClientError.checksumMismatch(let name, let expected, _) = error else { return false }
                return name == "c.bin" && expected == Self.md5(bytes)
            }
            #expect(!FileManager.default.fileExists(atPath: target + ".part"))
            #expect(!FileManager.default.fileExists(atPath: target))
        }
    }

    @Test("the listing pages through every file with a small limit, newest first")
    func listPagination() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client()
            let names = (1...7).map { "f\($0).txt" }
            for name in names { _ = try await client.upload(file: nodes.file(name, Array(name.utf8))) }
            var sizes: [Int] = []
            var listed: [String] = []
            for try await page in client.list(pageSize: 3) {
                sizes.append(page.files.count)
                listed += page.files.map(\.name)
            }
            #expect(sizes == [3, 3, 1])
            #expect(listed == names.reversed())
        }
    }

    @Test("delete removes the file: a download is then 404 FILE_NOT_FOUND, a second delete too")
    func deleteThenNotFound() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client()
            _ = try await client.upload(file: nodes.file("gone.txt", Array("x".utf8)))
            try await client.delete(name: "gone.txt")
            for attempt in 0..<2 {
                await #expect {
                    if attempt == 0 {
                        _ = try await client.download(name: "gone.txt", to: nodes.directory + "/gone.out")
                    } else {
                        try await client.delete(name: "gone.txt")
                    }
                } throws: { ($0 as? ClientError)?.serviceCode == .fileNotFound }
            }
            #expect(try await client.list().allFiles().isEmpty)
        }
    }
}
