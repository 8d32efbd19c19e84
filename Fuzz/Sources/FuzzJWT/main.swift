import Foundation
import Logging

// libFuzzer target: bearer-token parsing and HS256 verification (every request runs this).
//
// Proves, for any `Authorization` value and any token bytes: no crash or memory error; the header
// parser only hands on RFC 6750 b64tokens within the size limit; a token either verifies (only
// possible with the real MAC) or is refused with an `AuthFailure`; the duplicate-name scanner
// never traps on arbitrary (even invalid) JSON.
import FuzzSupport

@testable import CoreStore

let secret = Array("0123456789abcdef0123456789abcdef".utf8)
let verifier = try! HMACTokenVerifier(
    secret: secret, configuration: AuthConfiguration(issuer: "fuzz"),
    logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }),
    now: { Date(timeIntervalSince1970: 1_800_000_000) })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    if let token = try? BearerToken.extract(fromAuthorizationHeader: text) {
        precondition(
            !token.isEmpty && token.utf8.count <= BearerToken.maximumBytes, "bad token extracted")
    }
    if let principal = try? verifier.check(text) {
        precondition(!principal.userID.rawValue.isEmpty, "accepted without a user")
    }
    _ = try? SignedToken(parsing: text)
    _ = JSONMemberNames.containsDuplicate(in: bytes)
    _ = Base64URL.decode(bytes)
    return 0
}

/// The process entry: SwiftPM aliases `main` to `FuzzJWT_main`.
@_cdecl("FuzzJWT_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
