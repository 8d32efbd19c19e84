import CoreStore
import Foundation
import NIOCore
import Testing
import TestSupport

@testable import UploadNode

@Suite("spool file")
struct SpoolFileTests {
    @Test("reserves the declared length (capped), keeps the size at the bytes written, frees the rest")
    func reservesAndReleases() throws {
        let path = NSTemporaryDirectory() + "spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try SpoolFile(path: path, expectedBytes: 2 << 20)
        let reserved = try #require(FileAllocation(path: path))
        #expect(reserved.size == 0)
        #expect(reserved.allocatedBytes >= 2 << 20)

        try file.append(ByteBuffer(repeating: 7, count: 100_000))
        file.releaseUnusedReservation()
        let released = try #require(FileAllocation(path: path))
        #expect(released.size == 100_000)
        #expect(released.allocatedBytes < 1 << 20)
    }

    @Test("a declared length beyond the cap reserves only the cap")
    func capsTheReservation() throws {
        let path = NSTemporaryDirectory() + "spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try SpoolFile(path: path, expectedBytes: 1 << 40)
        let blocks = try #require(FileAllocation(path: path)).allocatedBytes
        #expect(blocks >= SpoolFile.maxReservationBytes)
        #expect(blocks < SpoolFile.maxReservationBytes + (1 << 20))
    }
}
