import Foundation

/// Repeated member names at the top level of a JSON object.
///
/// RFC 7515 §5.2 and RFC 7519 §4 let a JWT parser either reject duplicate header/claim names or
/// keep the lexically last one. Foundation's `JSONDecoder` keeps the *first*, so a token carrying
/// `{"sub":"alice","sub":"bob"}` would name alice here and bob to any last-wins parser in front of
/// or behind this service. Such tokens are refused (``AuthFailure/duplicateMember``).
enum JSONMemberNames {
    /// Whether the top-level object in `json` names a member twice. Names are compared after JSON
    /// unescaping and with Swift `String` equality, exactly as `JSONDecoder` keys them, so
    /// `"s\u0075b"` repeats `"sub"`.
    /// - Parameter json: JSON text that `JSONDecoder` has already accepted as an object. Other input
    ///   is handled safely; a name that cannot be unescaped counts as a duplicate.
    /// - Returns: `true` when a name repeats.
    static func containsDuplicate(in json: some Collection<UInt8>) -> Bool {
        let bytes = Array(json)
        var names = Set<String>()
        var depth = 0
        var topLevelIsObject = false
        var inString = false
        var escaped = false
        var expectingName = false
        var nameStart: Int?
        var nameHasEscape = false
        for (index, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                    nameHasEscape = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if let start = nameStart {
                        nameStart = nil
                        guard let name = decodeName(bytes[start...index], escaped: nameHasEscape),
                            names.insert(name).inserted
                        else { return true }
                    }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                nameHasEscape = false
                if depth == 1, topLevelIsObject, expectingName {
                    nameStart = index
                    expectingName = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth == 1 {
                    topLevelIsObject = byte == UInt8(ascii: "{")
                    expectingName = topLevelIsObject
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 1 { expectingName = topLevelIsObject }
            default:
                break
            }
        }
        return false
    }

    /// A quoted name (quotes included) as a `String`.
    private static func decodeName(_ quoted: ArraySlice<UInt8>, escaped: Bool) -> String? {
        guard escaped else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
        return try? JSONDecoder().decode(String.self, from: Data(quoted))
    }
}
