import CoreStore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("file block reservation")
struct FileBlockReservationTests {
    @Test("reserves blocks without changing the size; a reservation larger than the disk is noSpace")
    func reservesWithoutGrowing() throws {
        let path = IntegrationEnvironment.processRoot + "/reserve-\(UUID().uuidString)"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        let outcome = FileBlockReservation.reserve(fileDescriptor: fd, bytes: 4 << 20)
        guard outcome == .reserved else {
            // tmpfs and ext4 reserve; a file system that cannot must say so, not claim noSpace.
            guard case .notReserved(let code) = outcome else {
                Issue.record("unexpected \(outcome)")
                return
            }
            #expect(code == EOPNOTSUPP)
            return
        }
        let allocation = try #require(FileAllocation(path: path))
        #expect(allocation.size == 0)
        #expect(allocation.allocatedBytes >= 4 << 20)
        #expect(FileBlockReservation.reserve(fileDescriptor: fd, bytes: 8 << 40) == .noSpace)
        #expect(FileBlockReservation.reserve(fileDescriptor: fd, bytes: 0) == .notReserved(errno: 0))
        #expect(FileBlockReservation.reserve(fileDescriptor: -1, bytes: 1) == .notReserved(errno: EBADF))
    }
}
