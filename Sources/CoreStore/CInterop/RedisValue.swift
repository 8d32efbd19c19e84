public import NIOCore

/// One Redis (RESP2) reply in Swift memory: copied out of hiredis's `redisReply` (`redis://`) or
/// decoded by ``RESPReplyDecoder`` (`rediss://`).
public enum RedisValue: Sendable, Equatable {
    /// A bulk string: arbitrary bytes (binary safe).
    case bulk(ByteBuffer)
    /// A status reply such as `OK` or `PONG`.
    case status(String)
    /// An integer reply.
    case integer(Int64)
    /// A multi-bulk reply.
    case array([RedisValue])
    /// The nil reply (missing key).
    case null
    /// An error reply (`-ERR …`, `-WRONGTYPE …`); the connection stays usable.
    case error(String)

    /// The bytes of a bulk string (or the text of a status reply); `nil` for every other kind.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let buffer): Array(buffer.readableBytesView)
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }
}
