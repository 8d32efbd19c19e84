// libFuzzer target: `Content-Disposition` parameters (`name`, `filename`, RFC 8187 `filename*`).
//
// Proves, for any header value: no crash or memory error; parameter names come out lowercased and
// never twice (so two readers cannot disagree about which `filename` counts); a part's header set
// either parses with a name or is refused with `malformedMultipart`.
import FuzzSupport

@testable import CoreStore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let parsed = try? HeaderParameters(parsing: text) {
        var seen = Set<String>()
        for parameter in parsed.parameters {
            precondition(parameter.name == parameter.name.lowercased(), "parameter name not lowercased")
            precondition(seen.insert(parameter.name).inserted, "parameter \(parameter.name) twice")
        }
    }
    do {
        let headers = try MultipartPartHeaders(fields: [.init(name: "Content-Disposition", value: text)]
        )
        precondition(headers["content-disposition"] == text, "field lost")
    } catch let error as CoreStoreError {
        precondition(error.code == .malformedMultipart, "unexpected error \(error)")
    } catch {
        preconditionFailure("untyped error \(error)")
    }
    _ = try? MultipartPartHeaders.decodeExtendedValue(text)
    _ = try? MultipartBoundary(contentType: text)
    return 0
}

/// The process entry: SwiftPM aliases `main` to `FuzzHeaderParameters_main`.
@_cdecl("FuzzHeaderParameters_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
