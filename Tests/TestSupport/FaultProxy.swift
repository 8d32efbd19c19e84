import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP proxy between a node and one backend (SeaweedFS, redis-server, PostgreSQL)
/// whose fault can be switched while traffic flows: pass-through, added latency, a reset after
/// some bytes, a black hole, a slow close (see ``Fault``).
///
/// It listens on a free port of 127.0.0.1 and forwards every accepted connection to
/// `127.0.0.1:<targetPort>`, one thread per direction. Sockets are polled every 20 ms, so a fault
/// change, a reset or ``stop()`` reaches every connection within about that time. Resets are real
/// TCP RSTs (`SO_LINGER` 0, then `close`), never a FIN first.
public final class FaultProxy: Sendable {
    /// What the proxy does to traffic.
    public enum Fault: Sendable, Equatable, CustomStringConvertible {
        /// Forward everything as it comes.
        case passThrough
        /// Hold every chunk (up to 64 KiB) this long before forwarding it, in both directions.
        case latency(Duration)
        /// Forward `bytes` more bytes in `direction` on each connection (counted from the moment
        /// the fault is set, or from the connection's start), then reset both of its sockets.
        case reset(afterBytes: Int, direction: Direction)
        /// Accept connections but forward and answer nothing (new connections are held without
        /// reaching the target; open ones stop moving). Lifting it lets held traffic through.
        case blackHole
        /// When one side closes, wait this long before passing the close on to the other side.
        case slowClose(Duration)

        /// A short name for logs.
        public var description: String {
            switch self {
            case .passThrough: "pass-through"
            case .latency(let delay): "latency \(delay)"
            case .reset(let bytes, let direction): "reset after \(bytes) B \(direction)"
            case .blackHole: "black hole"
            case .slowClose(let delay): "slow close \(delay)"
            }
        }
    }

    /// Which way bytes travel.
    public enum Direction: Sendable, Equatable {
        /// Client → backend (requests, upload bodies).
        case toTarget
        /// Backend → client (responses, download bodies).
        case toClient
    }

    /// The port the proxy listens on (127.0.0.1).
    public let port: Int
    /// The backend's port (127.0.0.1).
    public let targetPort: Int
    let state: Mutex<State>

    struct State {
        var fault: Fault = .passThrough
        /// Bumped on every fault change: byte counts for resets restart at each change.
        var epoch = 0
        var stopping = false
        var connections: [ObjectIdentifier: FaultProxyConnection] = [:]
        var threads = 0
        var accepted = 0
        var resets = 0
    }

    /// Starts a proxy to `127.0.0.1:<targetPort>` on a free port.
    /// - Parameter targetPort: The backend's port.
    /// - Throws: ``ContractViolation`` when no listening socket can be made.
    public static func start(targetPort: Int) throws -> FaultProxy {
        for _ in 0..<5 {
            let port = FreePort.next()
            guard let listener = listen(port: port) else { continue }
            return FaultProxy(listener: listener, port: port, targetPort: targetPort)
        }
        throw ContractViolation(description: "fault proxy: no free port to listen on", location: #fileID)
    }

    private init(listener: Int32, port: Int, targetPort: Int) {
        self.port = port
        self.targetPort = targetPort
        state = Mutex(State(threads: 1))
        Thread.detachNewThread { [self] in acceptLoop(listener) }
    }

    /// The current fault.
    public var fault: Fault { state.withLock { $0.fault } }

    /// Switches the fault for open and new connections.
    /// - Parameter fault: The new fault.
    public func set(_ fault: Fault) {
        state.withLock {
            $0.fault = fault
            $0.epoch += 1
        }
    }

    /// Connections accepted so far, and how many of them were reset.
    public var counts: (accepted: Int, resets: Int) { state.withLock { ($0.accepted, $0.resets) } }

    /// Resets every open connection now (both sockets, RST).
    public func resetAll() {
        for connection in state.withLock({ Array($0.connections.values) }) { connection.abort() }
    }

    /// Stops accepting, resets every connection and waits (up to 5 s) until every thread has ended.
    /// - Returns: Whether every thread ended in time.
    @discardableResult
    public func stop() async -> Bool {
        state.withLock { $0.stopping = true }
        resetAll()
        let deadline = ContinuousClock.now + .seconds(5)
        while state.withLock({ $0.threads }) > 0 {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    // MARK: Threads

    private func acceptLoop(_ listener: Int32) {
        defer {
            close(listener)
            threadEnded()
        }
        while !state.withLock({ $0.stopping }) {
            guard Self.poll(listener, events: Int16(POLLIN), milliseconds: 20) else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let connection = FaultProxyConnection(client: client)
            let admitted = state.withLock { state -> Bool in
                guard !state.stopping else { return false }
                state.connections[ObjectIdentifier(connection)] = connection
                state.threads += 1
                state.accepted += 1
                return true
            }
            guard admitted else {
                close(client)
                return
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    /// Waits out a black hole, connects to the target, then pumps both directions (one more thread).
    private func serve(_ connection: FaultProxyConnection) {
        defer { threadEnded() }
        while isBlackHole(connection) { usleep(20_000) }
        guard !connection.isAborted, !state.withLock({ $0.stopping }),
            let target = PosixSockets.connectLoopback(port: targetPort, timeout: 2)
        else {
            connection.abort()
            connection.finishPump()
            connection.finishPump()
            forget(connection)
            return
        }
        connection.attach(target: target)
        state.withLock { $0.threads += 1 }
        Thread.detachNewThread { [self] in
            defer { threadEnded() }
            pump(connection, .toClient)
        }
        pump(connection, .toTarget)
    }

    private func isBlackHole(_ connection: FaultProxyConnection) -> Bool {
        state.withLock { $0.fault == .blackHole && !$0.stopping } && !connection.isAborted
    }

    private func threadEnded() { state.withLock { $0.threads -= 1 } }

    private func forget(_ connection: FaultProxyConnection) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Moves bytes one way until end of stream, an error, a reset or a stop.
    private func pump(_ connection: FaultProxyConnection, _ direction: Direction) {
        let (source, sink) = connection.sockets(direction)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var epoch = -1
        var counted = 0
        defer {
            if connection.finishPump() { forget(connection) }
        }
        while !connection.isAborted {
            // The fault is read after the wait, so bytes that arrive after a switch get the new one.
            let readable = Self.poll(source, events: Int16(POLLIN), milliseconds: 20)
            let (fault, currentEpoch, stopping) = state.withLock { ($0.fault, $0.epoch, $0.stopping) }
            if stopping { return connection.abort() }
            if currentEpoch != epoch {
                epoch = currentEpoch
                counted = 0
            }
            if fault == .blackHole {
                usleep(20_000)
                continue
            }
            guard readable else { continue }
            let received = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { continue }
            if received <= 0 {
                // End of stream passes on as a half close; an error (a reset) as a reset.
                guard received == 0 else { return connection.abort() }
                if case .slowClose(let delay) = fault { connection.sleep(delay) }
                shutdown(sink, Int32(SHUT_WR))
                return
            }
            var forward = received
            if case .latency(let delay) = fault { connection.sleep(delay) }
            var resetAfter = false
            if case .reset(let limit, let resetDirection) = fault, resetDirection == direction {
                forward = max(0, min(received, limit - counted))
                resetAfter = counted + received >= limit
                counted += forward
            }
            guard connection.send(buffer, count: forward, to: sink) else { return connection.abort() }
            if resetAfter {
                state.withLock { $0.resets += 1 }
                return connection.abort()
            }
        }
    }

    static func poll(_ fd: Int32, events: Int16, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        return Glibc.poll(&entry, 1, milliseconds) > 0
    }

    private static func listen(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 1024) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
