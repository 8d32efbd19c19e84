internal import CStubs
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking hiredis connection; owns one `redisContext`.
///
/// Every call blocks the calling thread (run it on a ``BlockingPool`` thread). Commands go through
/// `redisCommandArgv` only (binary safe, no format strings); each reply is copied into a
/// ``RedisValue`` before `freeReplyObject`. After a connection-level failure (I/O error, EOF,
/// timeout) the context is unusable and ``isBroken`` is set: the owner must drop the connection.
final class RedisConnection: @unchecked Sendable {  // one thread at a time: RedisClient checks it out under a lock
    /// The pool generation this connection was made in (older ones are dropped after a failure).
    let generation: UInt64
    /// Set once a command failed at the connection level; the connection must be discarded.
    private(set) var isBroken = false
    /// Whether the last connection-level failure was a command timeout (the server may be hung).
    private(set) var lastFailureWasTimeout = false

    private let context: UnsafeMutablePointer<redisContext>
    private let logger: Logger

    private static let allocator = ByteBufferAllocator()
    private static let emptyArgument: StaticString = ""

    /// Connects, sets the command timeout and TCP keepalive, then sends `AUTH` and `SELECT` as configured.
    /// - Parameters:
    ///   - endpoint: The server.
    ///   - connectTimeout: Bound on the TCP connect.
    ///   - commandTimeout: Bound on each socket read and write of a command.
    ///   - generation: The owner's pool generation.
    ///   - logger: Receives hiredis's error strings.
    /// - Throws: `CoreStoreError(.cacheUnavailable)` when the server cannot be reached or refuses the login.
    init(
        endpoint: RedisEndpoint, connectTimeout: Duration, commandTimeout: Duration, generation: UInt64, logger: Logger
    ) throws(CoreStoreError) {
        guard
            let context = redisConnectWithTimeout(endpoint.host, Int32(endpoint.port), Self.makeTimeval(connectTimeout))
        else {
            logger.warning("redis connect failed", metadata: ["redis.error": "cannot allocate context"])
            throw CoreStoreError(.cacheUnavailable)
        }
        if context.pointee.err != 0 {
            logger.warning(
                "redis connect failed",
                metadata: [
                    "redis.error": "\(Self.errorString(context))", "redis.host": "\(endpoint.host)",
                    "redis.port": "\(endpoint.port)",
                ])
            redisFree(context)
            throw CoreStoreError(.cacheUnavailable)
        }
        self.context = context
        self.generation = generation
        self.logger = logger
        // From here on deinit frees the context if a later step throws.
        if redisSetTimeout(context, Self.makeTimeval(commandTimeout)) != REDIS_OK
            || redisEnableKeepAlive(context) != REDIS_OK
        {
            logger.warning("redis socket options failed", metadata: ["redis.error": "\(Self.errorString(context))"])
            throw CoreStoreError(.cacheUnavailable)
        }
        if let password = endpoint.password {
            let words = [endpoint.username, password].compactMap { $0 }
            try expectOK(["AUTH"] + words, command: "AUTH")
        }
        if endpoint.database != 0 {
            try expectOK(["SELECT", String(endpoint.database)], command: "SELECT")
        }
    }

    deinit { redisFree(context) }

    /// Sends one command and waits for its reply.
    /// - Parameter arguments: The command name and its arguments, each as raw bytes.
    /// - Returns: The reply (an error reply is a value, not a throw).
    /// - Throws: `CoreStoreError(.cacheUnavailable)` on a connection-level failure (and marks the connection broken).
    func execute(_ arguments: [ByteBuffer]) throws(CoreStoreError) -> RedisValue {
        guard !isBroken, !arguments.isEmpty else { throw CoreStoreError(.cacheUnavailable) }
        let lengths = arguments.map(\.readableBytes)
        var pointers = [UnsafePointer<CChar>?]()
        pointers.reserveCapacity(arguments.count)
        let raw = Self.withPinned(arguments[...], &pointers) { pointers in
            pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { argvlen in
                    redisCommandArgv(context, Int32(argv.count), argv.baseAddress, argvlen.baseAddress)
                }
            }
        }
        let callErrno = errno
        guard let raw else {
            isBroken = true
            lastFailureWasTimeout = callErrno == EAGAIN || callErrno == EWOULDBLOCK
            logger.warning(
                "redis command failed",
                metadata: [
                    "redis.error": "\(Self.errorString(context))", "redis.errorKind": "\(context.pointee.err)",
                    "redis.timeout": "\(lastFailureWasTimeout)",
                ])
            throw CoreStoreError(.cacheUnavailable)
        }
        defer { freeReplyObject(raw) }
        return Self.copy(raw.assumingMemoryBound(to: redisReply.self).pointee)
    }

    /// Runs a command that must answer `+OK`.
    private func expectOK(_ words: [String], command: String) throws(CoreStoreError) {
        let reply = try execute(words.map { ByteBuffer(string: $0) })
        guard case .status("OK") = reply else {
            logger.warning("redis login command refused", metadata: ["redis.command": "\(command)"])
            throw CoreStoreError(.cacheUnavailable)
        }
    }

    /// Pins every argument's bytes at once (nested closures) and hands the pointers to `body`.
    private static func withPinned<R>(
        _ rest: ArraySlice<ByteBuffer>, _ pointers: inout [UnsafePointer<CChar>?],
        _ body: (inout [UnsafePointer<CChar>?]) -> R
    ) -> R {
        guard let first = rest.first else { return body(&pointers) }
        return first.withUnsafeReadableBytes { bytes in
            let base = bytes.baseAddress ?? UnsafeRawPointer(emptyArgument.utf8Start)
            pointers.append(base.assumingMemoryBound(to: CChar.self))
            return withPinned(rest.dropFirst(), &pointers, body)
        }
    }

    /// Deep-copies a reply into Swift memory.
    private static func copy(_ reply: redisReply) -> RedisValue {
        switch reply.type {
        case REDIS_REPLY_STRING:
            var buffer = allocator.buffer(capacity: reply.len)
            buffer.writeBytes(UnsafeRawBufferPointer(start: reply.str, count: reply.len))
            return .bulk(buffer)
        case REDIS_REPLY_ARRAY:
            return .array((0..<reply.elements).map { index in reply.element[index].map { copy($0.pointee) } ?? .null })
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_STATUS:
            return .status(text(reply))
        case REDIS_REPLY_ERROR:
            return .error(text(reply))
        default:
            return .error("unknown reply type \(reply.type)")
        }
    }

    private static func text(_ reply: redisReply) -> String {
        String(decoding: UnsafeRawBufferPointer(start: reply.str, count: reply.len), as: UTF8.self)
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    private static func makeTimeval(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
