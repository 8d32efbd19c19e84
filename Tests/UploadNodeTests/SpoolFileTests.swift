import CoreStore
import Foundation
import NIOCore
import TestSupport
import Testing

@testable import UploadNode

@Suite("spool file")
struct SpoolFileTests {
    @Test("reserves the declared length (capped), keeps the size at the bytes written, frees the rest")
    func reservesAndReleases() throws {
        let path = IntegrationEnvironment.processRoot + "/spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try SpoolFile(path: path, expectedBytes: 2 << 20, budget: .unbounded)
        let reserved = try #require(FileAllocation(path: path))
        #expect(reserved.size == 0)
        #expect(reserved.allocatedBytes >= 2 << 20)

        try file.append(ByteBuffer(repeating: 7, count: 100_000))
        file.releaseUnusedReservation()
        let released = try #require(FileAllocation(path: path))
        #expect(released.size == 100_000)
        #expect(released.allocatedBytes < 1 << 20)
    }

    @Test("a form's few bytes past the file reserve no block past the file's end (no truncation needed)")
    func reservesWholeBlocksOnly() throws {
        let path = IntegrationEnvironment.processRoot + "/spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fileBytes = 5 << 20
        let file = try SpoolFile(path: path, expectedBytes: Int64(fileBytes + 330), budget: .unbounded)
        #expect(try #require(FileAllocation(path: path)).allocatedBytes == Int64(fileBytes))
        try file.append(ByteBuffer(repeating: 1, count: fileBytes))
        file.releaseUnusedReservation()
        let written = try #require(FileAllocation(path: path))
        #expect(written.size == Int64(fileBytes))
        #expect(written.allocatedBytes == Int64(fileBytes))
    }

    @Test("a file ending inside its last reserved block keeps it; one ending earlier frees the rest")
    func releasesOnlyBlocksPastTheLastWritten() throws {
        for (written, expectedBlocks) in [(10_000, 3), (4096, 1)] {
            let path = IntegrationEnvironment.processRoot + "/spool-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let file = try SpoolFile(path: path, expectedBytes: 3 * 4096 + 10, budget: .unbounded)
            try file.append(ByteBuffer(repeating: 1, count: written))
            file.releaseUnusedReservation()
            let allocation = try #require(FileAllocation(path: path))
            #expect(allocation.size == Int64(written))
            #expect(allocation.allocatedBytes == Int64(expectedBlocks * 4096), "after \(written) bytes")
        }
    }

    @Test("a declared length beyond the cap reserves only the cap")
    func capsTheReservation() throws {
        let path = IntegrationEnvironment.processRoot + "/spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try SpoolFile(path: path, expectedBytes: 1 << 40, budget: .unbounded)
        let blocks = try #require(FileAllocation(path: path)).allocatedBytes
        #expect(blocks >= SpoolFile.maxReservationBytes)
        #expect(blocks < SpoolFile.maxReservationBytes + (1 << 20))
    }

    @Test("files reserve only what the node's budget has left, and give it back when closed")
    func reservationBudget() throws {
        let directory = IntegrationEnvironment.processRoot + "/spool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let budget = SpoolReservationBudget(capacityBytes: 3 << 20)
        var first: SpoolFile? = try SpoolFile(path: directory + "/a", expectedBytes: 2 << 20, budget: budget)
        #expect(budget.reservedBytes == 2 << 20)
        let second = try SpoolFile(path: directory + "/b", expectedBytes: 2 << 20, budget: budget)
        #expect(budget.reservedBytes == 3 << 20)
        #expect(try #require(FileAllocation(path: directory + "/b")).allocatedBytes == 1 << 20)
        _ = try SpoolFile(path: directory + "/c", expectedBytes: 2 << 20, budget: budget)
        #expect(try #require(FileAllocation(path: directory + "/c")).allocatedBytes == 0)
        #expect(budget.reservedBytes == 3 << 20)
        _ = first
        first = nil
        #expect(budget.reservedBytes == 1 << 20)
        _ = second
    }
}
