import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1 response as read off a raw socket.
public struct RawHTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The header lines, names lowercased, in order.
    public var headers: [(name: String, value: String)]
    /// The body (as many bytes as `Content-Length` says; none for `HEAD`).
    public var body: [UInt8]

    /// The first value of a header (case-insensitive name).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// What a raw exchange read: the responses in order, and whether the server closed the connection.
public struct RawHTTPExchange: Sendable {
    /// Every complete response read.
    public var responses: [RawHTTPResponse]
    /// Whether the server ended the connection (end of file or reset) before the read timeout.
    public var closedByServer: Bool
    /// Bytes after the last complete response.
    public var trailing: [UInt8]
}

/// Sends hand-made (possibly malformed) HTTP/1 requests over a plain POSIX socket to 127.0.0.1 and
/// reads what comes back, on a thread of its own (the blocking reads never hold a task's thread).
public enum RawHTTP {
    /// Writes `request`, then reads until the server closes the connection, `expectResponses`
    /// responses have arrived and `closeTimeout` seconds passed without more bytes, or
    /// `readTimeout` seconds passed without a byte.
    /// - Parameters:
    ///   - port: The server's port on 127.0.0.1.
    ///   - request: The raw bytes (all requests of the exchange).
    ///   - headRequests: Which responses (by index) answer `HEAD` and so have no body.
    ///   - readTimeout: Seconds of silence after which the connection counts as left open.
    public static func exchange(
        port: Int, request: String, headRequests: Set<Int> = [], readTimeout: Double = 5
    ) async -> RawHTTPExchange {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(
                    returning: run(
                        port: port, request: Array(request.utf8), headRequests: headRequests, timeout: readTimeout))
            }.start()
        }
    }

    private static func run(port: Int, request: [UInt8], headRequests: Set<Int>, timeout: Double) -> RawHTTPExchange {
        guard let connection = RawHTTPConnection.open(port: port, timeout: timeout) else {
            return RawHTTPExchange(responses: [], closedByServer: false, trailing: [])
        }
        connection.sendNow(request)
        return connection.readToEnd(headRequests: headRequests)
    }

    /// Complete responses at the start of `bytes`, and what follows them.
    static func responses(in bytes: [UInt8], headRequests: Set<Int>) -> ([RawHTTPResponse], [UInt8]) {
        var (responses, rest) = ([RawHTTPResponse](), bytes[...])
        while let (response, remaining) = parse(rest, isHead: headRequests.contains(responses.count)) {
            responses.append(response)
            rest = remaining
        }
        return (responses, Array(rest))
    }

    private static func parse(_ bytes: ArraySlice<UInt8>, isHead: Bool) -> (RawHTTPResponse, ArraySlice<UInt8>)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusWords = lines[0].split(separator: " ")
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length =
            isHead || status < 200 ? 0 : headers.first { $0.name == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = end + 4
        guard bytes.endIndex - bodyStart >= length else { return nil }
        let response = RawHTTPResponse(
            status: status, headers: headers, body: Array(bytes[bodyStart..<(bodyStart + length)]))
        return (response, bytes[(bodyStart + length)...])
    }
}

/// A raw connection driven step by step (send part of a request, wait for `100 Continue`, send the rest).
public final class RawHTTPConnection: @unchecked Sendable {
    private let fd: Int32
    private var received: [UInt8] = []

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds of silence.
    public static func open(port: Int, timeout: Double = 5) -> RawHTTPConnection? {
        PosixSockets.connectLoopback(port: port, timeout: timeout).map(RawHTTPConnection.init(fd:))
    }

    /// Sends `text` (on a thread of its own).
    public func send(_ text: String) async {
        let bytes = Array(text.utf8)
        await onThread { self.sendNow(bytes) }
    }

    /// Sends raw bytes (on a thread of its own).
    public func send(bytes: [UInt8]) async {
        await onThread { self.sendNow(bytes) }
    }

    /// Shuts the connection down in both directions now (a client that goes away mid-request).
    public func shutdownNow() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Reads until the received bytes contain `marker` (or the peer closes, or the timeout passes).
    /// - Returns: Everything received so far, as text.
    public func read(until marker: String) async -> String {
        await onThread {
            let marker = Array(marker.utf8)
            while !self.contains(marker), self.receiveOnce() {}
            return String(decoding: self.received, as: UTF8.self)
        }
    }

    /// Reads until the peer closes or the timeout passes, then parses every response received.
    public func finish(headRequests: Set<Int> = []) async -> RawHTTPExchange {
        await onThread { self.readToEnd(headRequests: headRequests) }
    }

    func sendNow(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count <= 0 { return }
            sent += count
        }
    }

    func readToEnd(headRequests: Set<Int>) -> RawHTTPExchange {
        var closed = false
        while true {
            if receiveOnce() { continue }
            closed = lastReadClosed
            break
        }
        let (responses, rest) = RawHTTP.responses(in: received, headRequests: headRequests)
        return RawHTTPExchange(responses: responses, closedByServer: closed, trailing: rest)
    }

    private var lastReadClosed = false

    /// One `recv`; `false` when nothing came (end of file, error or timeout).
    private func receiveOnce() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
                return true
            }
            if count < 0 && errno == EINTR { continue }
            lastReadClosed = count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
            return false
        }
    }

    private func contains(_ marker: [UInt8]) -> Bool {
        guard received.count >= marker.count else { return false }
        return (0...(received.count - marker.count)).contains {
            received[$0..<($0 + marker.count)].elementsEqual(marker)
        }
    }

    private func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
