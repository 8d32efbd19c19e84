#if canImport(Glibc)
    import Glibc
#endif

/// A unix datagram socket standing in for systemd's notify socket.
public final class DatagramListener: @unchecked Sendable {  // the fd is only read by one test at a time
    let fd: Int32
    /// The socket path.
    public let path: String

    /// Binds a datagram socket at `path`.
    public init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else { throw ContractViolation(description: "cannot bind \(path)", location: #fileID) }
    }

    /// The next datagram (waits up to 5 s without blocking a thread).
    public func receive() async -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<500 {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { return String(decoding: buffer[0..<count], as: UTF8.self) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    deinit { close(fd) }
}
