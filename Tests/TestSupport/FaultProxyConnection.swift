import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One proxied connection of a ``FaultProxy``: the client's socket, the target's, and whether it
/// was reset. Its two pump threads share it; the last one to finish closes both sockets (after a
/// reset with `SO_LINGER` 0, so the close sends RST), so no descriptor is closed while in use.
final class FaultProxyConnection: Sendable {
    private struct Sockets {
        var client: Int32
        var target: Int32 = -1
        var aborted = false
        var pumpsLeft = 2
    }

    private let sockets: Mutex<Sockets>

    init(client: Int32) {
        sockets = Mutex(Sockets(client: client))
    }

    /// Whether the connection was reset (pumps stop at their next poll).
    var isAborted: Bool { sockets.withLock { $0.aborted } }

    /// Records the target's socket.
    func attach(target: Int32) { sockets.withLock { $0.target = target } }

    /// The socket bytes come from and the one they go to.
    func sockets(_ direction: FaultProxy.Direction) -> (source: Int32, sink: Int32) {
        sockets.withLock { direction == .toTarget ? ($0.client, $0.target) : ($0.target, $0.client) }
    }

    /// Marks the connection reset: both sockets get `SO_LINGER` 0, so closing them sends RST.
    func abort() {
        sockets.withLock { state in
            guard !state.aborted else { return }
            state.aborted = true
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            for fd in [state.client, state.target] where fd >= 0 {
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            }
        }
    }

    /// Called once by each pump as it ends; the second call closes both sockets.
    /// - Returns: Whether the sockets were closed now.
    @discardableResult
    func finishPump() -> Bool {
        sockets.withLock { state in
            state.pumpsLeft -= 1
            guard state.pumpsLeft == 0 else { return false }
            for fd in [state.client, state.target] where fd >= 0 { close(fd) }
            return true
        }
    }

    /// Writes `count` bytes of `buffer` to `fd`, waiting for room 20 ms at a time.
    /// - Returns: `false` when the socket failed or the connection was reset meanwhile.
    func send(_ buffer: [UInt8], count: Int, to fd: Int32) -> Bool {
        var offset = 0
        while offset < count {
            guard !isAborted else { return false }
            guard FaultProxy.poll(fd, events: Int16(POLLOUT), milliseconds: 20) else { continue }
            let written = buffer.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if written < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Sleeps `duration` in 20 ms steps, returning early when the connection is reset.
    func sleep(_ duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while !isAborted, ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            let microseconds = left.components.seconds * 1_000_000 + left.components.attoseconds / 1_000_000_000_000
            usleep(UInt32(max(1, min(20_000, microseconds))))
        }
    }
}
