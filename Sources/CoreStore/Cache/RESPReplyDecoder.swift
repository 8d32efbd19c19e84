import NIOCore

/// Decodes RESP2 replies (`+`, `-`, `:`, `$`, `*`) from a byte stream into ``RedisValue``s, for
/// the SwiftNIO Redis connection (hiredis's reader does this job on the plain connection).
///
/// An incomplete reply leaves the buffer untouched and waits for more bytes; bulk strings are
/// handed on as slices of the received bytes, not copied. Anything that is not RESP2 closes the
/// connection (``RESPProtocolError``).
struct RESPReplyDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = RedisValue

    /// Longest `+`/`-`/`:`/length line accepted (a server error text is far shorter).
    static let maxLineBytes = 64 * 1024
    /// Largest bulk string accepted (Redis's own `proto-max-bulk-len` default).
    static let maxBulkBytes = 512 * 1024 * 1024
    /// Deepest nesting of arrays accepted.
    static let maxDepth = 16

    mutating func decode(buffer: inout ByteBuffer) throws -> RedisValue? {
        let start = buffer.readerIndex
        guard let value = try Self.parse(&buffer, depth: 0) else {
            buffer.moveReaderIndex(to: start)
            return nil
        }
        return value
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RedisValue? {
        try decode(buffer: &buffer)
    }

    /// One reply from the reader index on, or `nil` (reader index anywhere) when more bytes are needed.
    static func parse(_ buffer: inout ByteBuffer, depth: Int) throws(RESPProtocolError) -> RedisValue? {
        guard let kind = buffer.readInteger(as: UInt8.self) else { return nil }
        guard let line = try readLine(&buffer) else { return nil }
        switch kind {
        case UInt8(ascii: "+"):
            return .status(String(decoding: line.readableBytesView, as: UTF8.self))
        case UInt8(ascii: "-"):
            return .error(String(decoding: line.readableBytesView, as: UTF8.self))
        case UInt8(ascii: ":"):
            return .integer(try integer(line))
        case UInt8(ascii: "$"):
            let length = try integer(line)
            if length == -1 { return .null }
            guard (0...Int64(maxBulkBytes)).contains(length) else { throw RESPProtocolError("bulk length \(length)") }
            guard buffer.readableBytes >= Int(length) + 2, let bytes = buffer.readSlice(length: Int(length)) else {
                return nil
            }
            guard buffer.readInteger(as: UInt16.self) == 0x0D0A else {
                throw RESPProtocolError("bulk not ended by CRLF")
            }
            return .bulk(bytes)
        case UInt8(ascii: "*"):
            let count = try integer(line)
            if count == -1 { return .null }
            guard depth < maxDepth, (0...Int64(Int32.max)).contains(count) else {
                throw RESPProtocolError("array of \(count) at depth \(depth)")
            }
            var elements: [RedisValue] = []
            elements.reserveCapacity(min(Int(count), 1024))
            for _ in 0..<count {
                guard let element = try parse(&buffer, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw RESPProtocolError("reply type byte \(kind)")
        }
    }

    /// The bytes up to the next CRLF (consumed), or `nil` when the CRLF has not arrived.
    private static func readLine(_ buffer: inout ByteBuffer) throws(RESPProtocolError) -> ByteBuffer? {
        let view = buffer.readableBytesView.prefix(maxLineBytes + 2)
        guard let cr = view.firstIndex(of: 0x0D) else {
            if view.count > maxLineBytes { throw RESPProtocolError("line longer than \(maxLineBytes) bytes") }
            return nil
        }
        let length = cr - view.startIndex
        guard buffer.readableBytes >= length + 2 else { return nil }
        guard buffer.getInteger(at: cr + 1, as: UInt8.self) == 0x0A else { throw RESPProtocolError("CR without LF") }
        let line = buffer.readSlice(length: length)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    private static func integer(_ line: ByteBuffer) throws(RESPProtocolError) -> Int64 {
        guard let value = Int64(String(decoding: line.readableBytesView, as: UTF8.self)) else {
            throw RESPProtocolError("not an integer")
        }
        return value
    }
}

/// A server sent bytes that are not a RESP2 reply; the connection is closed.
struct RESPProtocolError: Error, CustomStringConvertible {
    /// What was wrong, for the log.
    let description: String

    init(_ description: String) { self.description = description }
}
