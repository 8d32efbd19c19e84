// libFuzzer target: the S3 answers CoreStore reads (error documents, CreateMultipartUpload,
// CompleteMultipartUpload, ListMultipartUploads) with its small tag scanner.
//
// Proves, for any body: no crash or memory error; and that XML escaping leaves no raw `<`, `>`, `&`
// and round-trips (`unescape(escape(s)) == s`) for any text, so ETags survive the trip to S3 and back.
import FuzzSupport

@testable import CoreStore
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    _ = S3ErrorResponse(status: 400, body: body, headers: ["x-amz-request-id": "fuzz"])
    _ = S3XML.uploadID(from: body)
    _ = S3XML.completedETag(from: body)
    _ = S3XML.isError(body)
    _ = S3XML.multipartUploadPage(from: body, now: Date(timeIntervalSince1970: 1_800_000_000))
    let text = String(decoding: body, as: UTF8.self)
    let escaped = S3XML.escape(text)
    let escapedBytes = Array(escaped.utf8)
    precondition(!escapedBytes.contains(UInt8(ascii: "<")) && !escapedBytes.contains(UInt8(ascii: ">")), "raw < or >")
    for (index, byte) in escapedBytes.enumerated() where byte == UInt8(ascii: "&") {
        let entity = escapedBytes[index...].prefix(5)
        precondition(["&amp;", "&lt;", "&gt;"].contains { entity.starts(with: $0.utf8) }, "raw & left")
    }
    precondition(S3XML.unescape(escaped[...]) == text, "escape/unescape lost text")
    _ = S3XML.unquote(text)
    return 0
}

/// The process entry: SwiftPM aliases `main` to `FuzzS3XML_main`.
@_cdecl("FuzzS3XML_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
