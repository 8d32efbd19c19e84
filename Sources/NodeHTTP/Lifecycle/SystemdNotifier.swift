import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The systemd notify protocol without libsystemd: one datagram per state change to
/// `$NOTIFY_SOCKET` (`READY=1`, `WATCHDOG=1`, `STOPPING=1`). A no-op when not run by systemd.
///
/// Sends never block: the watchdog pings from an event loop, which is also the concurrency
/// executor, and a receiver that stops reading (a stalled PID 1, a test that has not read yet)
/// fills a datagram queue of only `net.unix.max_dgram_qlen` (10) messages. A blocking send there
/// wedged the loop and with it every connection and task on it; now the datagram is dropped.
public struct SystemdNotifier: Sendable {
    private let socketPath: String?
    /// The watchdog interval systemd expects pings within (`WATCHDOG_USEC`), if any.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET` and `WATCHDOG_USEC` from the given environment.
    /// - Parameter environment: The process environment.
    public init(environment: [String: String]) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(UInt64.init).map { .microseconds($0) }
    }

    /// Whether a notify socket is configured.
    public var isActive: Bool { socketPath != nil }

    /// Sends one state string, e.g. `READY=1`, without waiting for room in the receiver's queue.
    /// - Parameter state: Newline-separated assignments.
    /// - Returns: Whether the datagram was queued (false when not under systemd, or when the
    ///   receiver's queue is full and the datagram was dropped).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard var path = socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let isAbstract = path.hasPrefix("@")
        if isAbstract { path.removeFirst() }
        var bytes = Array(path.utf8)
        if isAbstract { bytes.insert(0, at: 0) }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (isAbstract ? 0 : 1))
        let sent = state.withCString { text in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, text, strlen(text), Int32(MSG_DONTWAIT | MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent >= 0
    }
}
