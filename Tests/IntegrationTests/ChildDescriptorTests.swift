import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The servers the tests start (redis-server, weed, PostgreSQL, haproxy, the nodes) inherit no
/// descriptor of the test process. NIO accepts connections without close-on-exec; a server
/// started while another test's connection was open held that socket, so when the node closed
/// the connection no FIN went out (an HTTP/1.0 close check waited 20 s in 2 of 4 full runs).
@Suite("test-support children inherit no descriptor")
struct ChildDescriptorTests {
    @Test("a socket open without close-on-exec in the test process is not open in a started server")
    func socketNotInherited() async throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC == 0, "the probe must be inheritable, like NIO's accepted sockets")
        let ownLink = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
        let directory = IntegrationEnvironment.temporaryDirectory("child-fds")
        let child = try ManagedProcess(executable: "sleep", arguments: ["60"], logPath: directory + "/sleep.log")
        defer { child.kill() }
        let childLinks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child.pid)/fd/\($0)")
        }
        #expect(!childLinks.isEmpty, "the child's descriptors were readable")
        #expect(!childLinks.contains(ownLink), "\(ownLink) leaked into the child: \(childLinks)")
    }
}
