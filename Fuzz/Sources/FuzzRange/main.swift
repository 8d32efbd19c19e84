import FuzzSupport

// libFuzzer target: the download node's `Range` header (the source file is DownloadNode's own
// ByteRangeRequest.swift, linked in by a symlink).
//
// Proves, for any header value and any file size: no crash or overflow trap; a partial answer is
// always inside the file (0 ≤ lower ≤ upper < size); an empty file never yields a partial answer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size >= 8 else { return 0 }
    // The first 8 bytes are the file size (masked to be non-negative), the rest the header value.
    var fileSize: Int64 = 0
    for index in 0..<8 { fileSize = fileSize << 8 | Int64(data[index]) }
    fileSize &= Int64.max
    if data[0] & 0x80 == 0 { fileSize %= 1 << 20 }  // half the inputs use small sizes
    let header = String(
        decoding: UnsafeBufferPointer(start: data + 8, count: size - 8), as: UTF8.self)
    switch ByteRangeRequest(header: header, size: fileSize) {
    case .partial(let range):
        precondition(fileSize > 0, "partial range of an empty file")
        precondition(
            range.lowerBound >= 0 && range.upperBound < fileSize, "range \(range) outside \(fileSize)")
    case .whole, .unsatisfiable:
        break
    }
    return 0
}

/// The process entry: SwiftPM aliases `main` to `FuzzRange_main`.
@_cdecl("FuzzRange_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
