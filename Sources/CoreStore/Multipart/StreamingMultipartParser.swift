public import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A push parser for `multipart/form-data` bodies that arrive as a sequence of `ByteBuffer` chunks.
///
/// Feed every chunk to ``feed(_:onEvent:)`` (no allocation per event; the closure runs synchronously)
/// or ``feed(_:)`` (returns the events as an array), then call ``finish()`` after the last chunk.
/// Body bytes come out as slices of the fed chunks — as large as possible, one per chunk in the usual
/// case. Only a chunk's tail that could begin a split delimiter (`CRLF--boundary`, transport padding,
/// CRLF) is held back, and an incomplete header block; both are bounded, so memory stays bounded by the
/// limits plus one chunk whatever the input. Once it has thrown, the parser stays failed.
///
/// The delimiter search (``MultipartDelimiterSearch``) tests 16 positions per vector step.
/// A `CRLF--boundary` followed by neither `--` nor optional spaces/tabs and CRLF is data (RFC 2046
/// forbids it in data; robustness wins).
public struct StreamingMultipartParser: Sendable {
    /// The longest header block (all header lines of one part) accepted.
    public let maxHeaderBytes: Int
    /// The most parts accepted.
    public let maxParts: Int
    /// The largest body accepted for a part without a `filename` (a text field).
    public let maxTextPartBytes: Int

    private enum State: Sendable { case preamble, headers, body, epilogue, failed }
    private static let empty = ByteBuffer()
    private let search: MultipartDelimiterSearch
    private var state = State.preamble
    /// Unconsumed input (the tail of the last chunk, or an incomplete header block).
    private var pending = Self.empty
    /// Whether the start of the body (where the first boundary may come without CRLF) was checked.
    private var checkedBodyStart = false
    private var headerScanOffset = 0
    private var currentPartIsText = false
    private var currentPartBytes = 0
    /// The number of parts begun so far.
    public private(set) var partCount = 0

    /// Creates a parser for one body.
    /// - Parameters:
    ///   - boundary: The boundary from the request's `Content-Type`.
    ///   - maxHeaderBytes: The longest header block per part (default 16 KiB).
    ///   - maxParts: The most parts (default 16).
    ///   - maxTextPartBytes: The largest body of a part without `filename` (default 4 KiB).
    public init(
        boundary: MultipartBoundary, maxHeaderBytes: Int = 16 * 1024, maxParts: Int = 16,
        maxTextPartBytes: Int = 4 * 1024
    ) {
        self.search = MultipartDelimiterSearch(boundary: boundary)
        self.maxHeaderBytes = maxHeaderBytes
        self.maxParts = maxParts
        self.maxTextPartBytes = maxTextPartBytes
    }

    /// Whether the closing delimiter has been seen; later input is epilogue and ignored.
    public var isComplete: Bool { state == .epilogue }

    /// Parses one chunk, calling `onEvent` for each event in order.
    /// - Parameters:
    ///   - chunk: The next bytes of the body (its readable bytes).
    ///   - onEvent: Called synchronously per event; an error it throws fails the parser and is rethrown.
    /// - Throws: `CoreStoreError(.malformedMultipart)` for a malformed body or an exceeded limit.
    public mutating func feed(_ chunk: ByteBuffer, onEvent: (MultipartEvent) throws -> Void) throws {
        switch state {
        case .failed: throw CoreStoreError(.malformedMultipart, "multipart body already failed to parse")
        case .epilogue: return
        case .preamble, .headers, .body: break
        }
        do {
            if pending.readableBytes == 0 {
                pending = chunk
            } else if chunk.readableBytes > Self.bridgeBytes {
                try feedBridged(chunk, onEvent)
                guard state != .epilogue else { return }
            } else {
                pending.writeImmutableBuffer(chunk)
            }
            try run(onEvent)
        } catch {
            state = .failed
            pending = Self.empty
            throw error
        }
        if pending.readableBytes == 0 {
            pending = Self.empty
        } else if pending.readableBytes <= Self.bridgeBytes, pending.storageCapacity > 4 * Self.bridgeBytes {
            // A held-back tail is a slice of the last chunk: copy it so the chunk's storage (a whole
            // socket read) is freed while the connection waits for its next bytes.
            var tail = ByteBufferAllocator().buffer(capacity: Self.bridgeBytes)
            tail.writeImmutableBuffer(pending)
            pending = tail
        }
    }

    /// Bytes of a new chunk joined to held-back bytes before parsing goes on in the chunk itself.
    private static let bridgeBytes = 1024

    /// Parses the held-back bytes joined to the chunk's first ``bridgeBytes`` only, then leaves
    /// `pending` as the unparsed rest *as a slice of the chunk* whenever that rest lies in the
    /// chunk (nearly always), so a chunk is not copied just because a few bytes were held back
    /// from the previous one. Same events as parsing held-back bytes + chunk in one piece: it is
    /// just one more split of the input.
    private mutating func feedBridged(_ chunk: ByteBuffer, _ onEvent: (MultipartEvent) throws -> Void) throws {
        let bridge = Self.bridgeBytes
        pending.writeImmutableBuffer(chunk.getSlice(at: chunk.readerIndex, length: bridge)!)
        try run(onEvent)
        guard state != .epilogue else { return }
        let left = pending.readableBytes
        if left <= bridge {
            pending = chunk.getSlice(
                at: chunk.readerIndex + bridge - left, length: chunk.readableBytes - bridge + left)!
        } else {
            pending.writeImmutableBuffer(
                chunk.getSlice(at: chunk.readerIndex + bridge, length: chunk.readableBytes - bridge)!)
        }
    }

    /// Parses one chunk and returns its events.
    /// - Throws: `CoreStoreError(.malformedMultipart)` for a malformed body or an exceeded limit.
    public mutating func feed(_ chunk: ByteBuffer) throws(CoreStoreError) -> [MultipartEvent] {
        var events: [MultipartEvent] = []
        do {
            try feed(chunk) { events.append($0) }
        } catch let error as CoreStoreError {
            throw error
        } catch {
            throw CoreStoreError(.internalError)  // unreachable: the closure does not throw
        }
        return events
    }

    /// Checks that the body ended properly; call it after the last chunk.
    /// - Throws: `CoreStoreError(.malformedMultipart)` when the closing `--boundary--` was not seen.
    public func finish() throws(CoreStoreError) {
        guard state == .epilogue else {
            throw CoreStoreError(.malformedMultipart, "multipart body ended before its closing boundary")
        }
    }

    // MARK: - States

    private mutating func run(_ onEvent: (MultipartEvent) throws -> Void) throws {
        while true {
            let progressed: Bool
            switch state {
            case .preamble: progressed = try skipPreamble()
            case .headers: progressed = try readHeaders(onEvent)
            case .body: progressed = try readBody(onEvent)
            case .epilogue, .failed:
                pending = Self.empty
                progressed = false
            }
            if !progressed { return }
        }
    }

    private mutating func skipPreamble() throws(CoreStoreError) -> Bool {
        if !checkedBodyStart {
            // The first boundary line may open the body without the CRLF: match `--boundary` at 0.
            let search = self.search
            switch pending.withUnsafeReadableBytes({ search.matchAtBodyStart($0) }) {
            case .needMore: return false
            case .mismatch: checkedBodyStart = true
            case .part(let length):
                checkedBodyStart = true
                return try enterFirstPart(consumed: length, isClose: false)
            case .close(let length):
                checkedBodyStart = true
                return try enterFirstPart(consumed: length, isClose: true)
            }
        }
        switch scanPending() {
        case .exhausted(let dataEnd):
            pending.moveReaderIndex(forwardBy: dataEnd)
            return false
        case .delimiter(let position, let length, let isClose):
            return try enterFirstPart(consumed: position + length, isClose: isClose)
        }
    }

    /// Consumes the preamble and the first delimiter line (a close delimiter ends an empty body).
    private mutating func enterFirstPart(consumed: Int, isClose: Bool) throws(CoreStoreError) -> Bool {
        pending.moveReaderIndex(forwardBy: consumed)
        if isClose { state = .epilogue } else { try beginPart() }
        return true
    }

    private mutating func readBody(_ onEvent: (MultipartEvent) throws -> Void) throws -> Bool {
        switch scanPending() {
        case .exhausted(let dataEnd):
            try emitBody(count: dataEnd, onEvent)
            return false
        case .delimiter(let position, let length, let isClose):
            try emitBody(count: position, onEvent)
            pending.moveReaderIndex(forwardBy: length)
            try onEvent(.partEnd)
            if isClose { state = .epilogue } else { try beginPart() }
            return true
        }
    }

    private mutating func emitBody(count: Int, _ onEvent: (MultipartEvent) throws -> Void) throws {
        guard count > 0 else { return }
        if currentPartIsText {
            currentPartBytes += count
            guard currentPartBytes <= maxTextPartBytes else {
                throw CoreStoreError(.malformedMultipart, "form field too large")
            }
        }
        guard let slice = pending.readSlice(length: count) else { return }  // count ≤ readableBytes
        try onEvent(.bodyChunk(slice))
    }

    private mutating func beginPart() throws(CoreStoreError) {
        partCount += 1
        guard partCount <= maxParts else { throw CoreStoreError(.malformedMultipart, "too many parts") }
        state = .headers
        headerScanOffset = 0
    }

    private mutating func readHeaders(_ onEvent: (MultipartEvent) throws -> Void) throws -> Bool {
        let scanFrom = headerScanOffset
        let blockEnd = pending.withUnsafeReadableBytes { Self.headerBlockLength($0, from: scanFrom) }
        guard let blockLength = blockEnd else {
            let readable = pending.readableBytes
            guard readable <= maxHeaderBytes + 3 else {
                throw CoreStoreError(.malformedMultipart, "part headers too large")
            }
            headerScanOffset = max(0, readable - 3)
            return false
        }
        guard blockLength <= maxHeaderBytes else { throw CoreStoreError(.malformedMultipart, "part headers too large") }
        let headers = try pending.withUnsafeReadableBytes { raw in
            try MultipartPartHeaders(block: UnsafeRawBufferPointer(rebasing: raw[0..<blockLength]))
        }
        pending.moveReaderIndex(forwardBy: blockLength + 2)
        currentPartIsText = headers.filename == nil
        currentPartBytes = 0
        state = .body
        try onEvent(.partBegin(headers: headers))
        return true
    }

    // MARK: - Scanning

    /// The length of the header block (its lines with their CRLFs) if its terminating empty line is
    /// in `raw`; the block ends at the first CRLFCRLF, or is empty when `raw` starts with CRLF.
    private static func headerBlockLength(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int? {
        if raw.count >= 2, raw[0] == cr, raw[1] == lf { return 0 }
        guard let base = raw.baseAddress else { return nil }
        var index = start
        while index + 3 < raw.count {
            guard let found = memchr(base + index, Int32(cr), raw.count - 3 - index) else { return nil }
            let position = base.distance(to: UnsafeRawPointer(found))
            if raw[position + 1] == lf, raw[position + 2] == cr, raw[position + 3] == lf { return position + 2 }
            index = position + 1
        }
        return nil
    }

    /// Scans the pending bytes for the first delimiter.
    private func scanPending() -> MultipartDelimiterSearch.Result {
        pending.withUnsafeReadableBytes { search.firstDelimiter(in: $0) }
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
}
