import NIOCore

// libFuzzer target: the streaming multipart/form-data parser behind every upload.
//
// Proves, for any body bytes and any chunking: no crash, no memory error (ASan), and the outcome
// does not depend on how the body is split into chunks — fed whole or in pieces, the reader accepts
// or refuses alike and hands out the same file bytes, name and md5 text. Body chunks are never empty.
import FuzzSupport

@testable import CoreStore

let contentType = "multipart/form-data; boundary=fuzzBoundary"

struct Outcome: Equatable {
    var accepted: Bool
    var fileBytes: [UInt8] = []
    var fileName: String?
    var md5Text: String?
}

/// Feeds `body` in chunks of the given sizes (cycled), then finishes.
func read(_ body: [UInt8], chunkSizes: [Int]) -> Outcome {
    guard var reader = try? FormUploadReader(contentType: contentType) else {
        fatalError("fixed content type refused")
    }
    var outcome = Outcome(accepted: false)
    var offset = 0
    var turn = 0
    do {
        while offset < body.count {
            let size = min(chunkSizes[turn % chunkSizes.count], body.count - offset)
            turn += 1
            for slice in try reader.feed(ByteBuffer(bytes: body[offset..<(offset + size)])) {
                precondition(slice.readableBytes > 0, "empty file slice")
                outcome.fileBytes += slice.readableBytesView
            }
            offset += size
        }
        try reader.finish()
        outcome.accepted = true
    } catch {
        outcome.fileBytes = []
        return outcome
    }
    outcome.fileName = reader.fileName
    outcome.md5Text = reader.md5Text
    precondition(reader.fileByteCount == Int64(outcome.fileBytes.count), "fileByteCount disagrees")
    return outcome
}

/// The raw parser: events are balanced and body chunks are never empty.
func parseEvents(_ body: [UInt8], chunkSize: Int) {
    guard let boundary = try? MultipartBoundary(validating: "fuzzBoundary") else { return }
    var parser = StreamingMultipartParser(
        boundary: boundary, maxHeaderBytes: 1024, maxParts: 8, maxTextPartBytes: 512)
    var open = false
    var offset = 0
    do {
        while offset < body.count {
            let size = min(chunkSize, body.count - offset)
            for event in try parser.feed(ByteBuffer(bytes: body[offset..<(offset + size)])) {
                switch event {
                case .partBegin:
                    precondition(!open, "partBegin inside a part")
                    open = true
                case .bodyChunk(let chunk):
                    precondition(open && chunk.readableBytes > 0, "body chunk outside a part or empty")
                case .partEnd:
                    precondition(open, "partEnd without partBegin")
                    open = false
                }
            }
            offset += size
        }
        try parser.finish()
        precondition(!open, "finished inside a part")
    } catch {}
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size > 0 else { return 0 }
    // The first byte picks the chunking; the rest is the body.
    let chunking = Int(data[0])
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = read(body, chunkSizes: [max(body.count, 1)])
    let pieces = read(body, chunkSizes: [1 + chunking % 7, 1 + chunking % 61, 1 + chunking / 4])
    precondition(whole == pieces, "chunking changed the outcome: \(whole) vs \(pieces)")
    parseEvents(body, chunkSize: 1 + chunking % 33)
    return 0
}

/// The process entry: SwiftPM aliases `main` to `FuzzMultipart_main`.
@_cdecl("FuzzMultipart_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
