internal import CStubs
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why a transfer failed on our side of the socket.
enum CurlTransferFailure: Error, CustomStringConvertible {
    case openBody(errno: Int32)
    case readBody(errno: Int32)
    case openSink(errno: Int32)
    case writeSink(errno: Int32)
    case responseTooLarge(limit: Int)

    /// The error code callers see.
    var code: CoreStoreError.Code {
        switch self {
        case .writeSink(let number) where number == ENOSPC || number == EDQUOT: .insufficientStorage
        case .openSink(let number) where number == ENOSPC || number == EDQUOT: .insufficientStorage
        default: .internalError
        }
    }

    var description: String {
        switch self {
        case .openBody(let number): "cannot open request body file: \(String(cString: strerror(number)))"
        case .readBody(let number):
            "cannot read request body file: \(number == 0 ? "short file" : String(cString: strerror(number)))"
        case .openSink(let number): "cannot create response file: \(String(cString: strerror(number)))"
        case .writeSink(let number): "cannot write response file: \(String(cString: strerror(number)))"
        case .responseTooLarge(let limit): "response body larger than \(limit) bytes"
        }
    }
}

/// The state one transfer's curl callbacks share, reached through curl's `*DATA` pointers.
///
/// Used only by the thread running `curl_easy_perform` (callbacks run on that thread).
final class CurlTransferContext {
    /// Body bytes to send.
    let bodyLength: Int64
    /// HTTP status of the latest status line.
    private(set) var status = 0
    /// Headers of the latest response, names lowercased.
    private(set) var headers: [String: String] = [:]
    /// The `.memory` body, or the start of a non-2xx body.
    private(set) var responseBody: [UInt8] = []
    /// Body bytes delivered to the sink.
    private(set) var bodyBytes: Int64 = 0
    /// Set when a callback failed locally.
    private(set) var failure: CurlTransferFailure?

    private static let errorBodyLimit = 64 * 1024
    private let body: CurlRequestBody
    private let bodyOffset: Int64
    private var bodyFile: OpenFile?
    private var bodyPosition: Int64 = 0
    private let sink: CurlResponseSink
    private var sinkFile: OpenFile?
    private var pending: [UInt8] = []
    let cancellation: CurlCancellation

    init(body: CurlRequestBody, sink: CurlResponseSink, cancellation: CurlCancellation) {
        self.body = body
        self.sink = sink
        self.cancellation = cancellation
        switch body {
        case .none:
            (bodyLength, bodyOffset) = (0, 0)
        case .bytes(let bytes):
            (bodyLength, bodyOffset) = (Int64(bytes.count), 0)
        case .file(let path, let offset, let length):
            (bodyLength, bodyOffset) = (length, offset)
            do {
                bodyFile = try OpenFile(path: path, flags: O_RDONLY)
            } catch {
                failure = .openBody(errno: error.errno)
            }
        }
    }

    private var isSuccessStatus: Bool { (200..<300).contains(status) }

    /// Fills `buffer` with up to `capacity` body bytes; 0 at the end, the abort value on error.
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        let want = Int(min(Int64(capacity), bodyLength - bodyPosition))
        guard want > 0 else { return 0 }
        switch body {
        case .none:
            return 0
        case .bytes(let bytes):
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: source.baseAddress! + Int(bodyPosition), byteCount: want)
            }
            bodyPosition += Int64(want)
            return want
        case .file:
            guard let bodyFile else {
                failure = .readBody(errno: EBADF)
                return cstubs_curl_readfunc_abort()
            }
            let count: Int
            do {
                count = try bodyFile.read(
                    into: UnsafeMutableRawBufferPointer(start: buffer, count: want), at: bodyOffset + bodyPosition)
            } catch {
                failure = .readBody(errno: error.errno)
                return cstubs_curl_readfunc_abort()
            }
            guard count > 0 else {
                failure = .readBody(errno: 0)
                return cstubs_curl_readfunc_abort()
            }
            bodyPosition += Int64(count)
            return count
        }
    }

    /// Records one header line (a status line starts a new response, e.g. after `100 Continue`).
    func header(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            let fields = text.split(separator: " ", maxSplits: 2)
            status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            headers = [:]
        } else if let colon = text.firstIndex(of: ":") {
            let name = text[..<colon].lowercased()
            let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            headers[name] = value
        }
    }

    /// Takes body bytes; returns how many were consumed (less aborts the transfer).
    func write(_ data: UnsafeRawBufferPointer) -> Int {
        guard isSuccessStatus else {
            let room = max(0, Self.errorBodyLimit - responseBody.count)
            responseBody.append(contentsOf: data.prefix(room))
            return data.count
        }
        switch sink {
        case .memory(let limit):
            guard responseBody.count + data.count <= limit else {
                failure = .responseTooLarge(limit: limit)
                return cstubs_curl_writefunc_abort()
            }
            responseBody.append(contentsOf: data)
        case .file(let path):
            guard let file = sinkFile ?? openSink(path) else { return cstubs_curl_writefunc_abort() }
            do {
                try file.writeAll(data)
            } catch {
                failure = .writeSink(errno: error.errno)
                return cstubs_curl_writefunc_abort()
            }
        case .stream(let bridge):
            pending.append(contentsOf: data)
            if pending.count >= CurlStreamBridge.chunkSize {
                let chunk = pending
                pending = []
                pending.reserveCapacity(CurlStreamBridge.chunkSize + 128 * 1024)
                guard bridge.send(chunk) else { return cstubs_curl_writefunc_abort() }
            }
        }
        bodyBytes += Int64(data.count)
        return data.count
    }

    /// Whether the transfer should stop (progress callback).
    var shouldAbort: Bool {
        if cancellation.isCancelled { return true }
        if case .stream(let bridge) = sink { return bridge.isCancelled }
        return false
    }

    /// Flushes and closes the sink; on failure removes a partly written file. Always ends a stream.
    func finish(succeeded: Bool) {
        let complete = succeeded && failure == nil && isSuccessStatus
        switch sink {
        case .memory:
            break
        case .file(let path):
            if complete && sinkFile == nil { _ = openSink(path) }
            if let file = sinkFile {
                do {
                    try file.close()
                } catch {
                    if failure == nil { failure = .writeSink(errno: error.errno) }
                }
                sinkFile = nil
                if !complete || failure != nil { unlink(path) }
            }
        case .stream(let bridge):
            if complete && !pending.isEmpty { _ = bridge.send(pending) }
            pending = []
            bridge.finish()
        }
    }

    /// Creates the `.file` sink (mode 0600); `nil` (with ``failure`` set) when it cannot be created.
    private func openSink(_ path: String) -> OpenFile? {
        do {
            let file = try OpenFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
            PrivateFileModes.restrict(descriptor: file.descriptor)
            sinkFile = file
            return file
        } catch {
            failure = .openSink(errno: error.errno)
            return nil
        }
    }
}

/// `CURLOPT_READFUNCTION`: capture-free; the context comes through `READDATA`.
let curlTransferReadCallback: curl_read_callback = { buffer, size, count, userdata in
    let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata!).takeUnretainedValue()
    return context.read(into: UnsafeMutableRawPointer(buffer!), capacity: size * count)
}

/// `CURLOPT_HEADERFUNCTION`: one header line per call.
let curlTransferHeaderCallback: curl_write_callback = { data, size, count, userdata in
    let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata!).takeUnretainedValue()
    context.header(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

/// `CURLOPT_WRITEFUNCTION`: body bytes.
let curlTransferWriteCallback: curl_write_callback = { data, size, count, userdata in
    let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata!).takeUnretainedValue()
    return context.write(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// `CURLOPT_XFERINFOFUNCTION`: non-zero aborts (task cancelled or stream consumer gone).
let curlTransferInfoCallback: curl_xferinfo_callback = { userdata, _, _, _, _ in
    let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata!).takeUnretainedValue()
    return context.shouldAbort ? 1 : 0
}
