internal import JWTKit

/// The claims of a token, decoded leniently except where validation depends on the type.
///
/// String claims are kept by name (so any configured user claim can be read); `exp`, `nbf` and
/// `iat` must be numbers and `aud` a string or an array of strings, otherwise decoding fails
/// and the token is malformed. Claims of other types are ignored.
struct TokenClaims: JWTPayload {
    /// Every string-valued claim, by the claim name's bytes (``ByteIdentity``).
    private(set) var strings = ClaimStrings()
    /// `exp`, `nbf`, `iat` in seconds since 1970, when present.
    private(set) var numericDates: [String: Double] = [:]
    /// `aud`, normalised to a list.
    private(set) var audiences: [String] = []

    private static let numericDateClaims: Set<String> = ["exp", "nbf", "iat"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ClaimKey.self)
        for key in container.allKeys {
            let name = key.stringValue
            if Self.numericDateClaims.contains(name) {
                numericDates[name] = try container.decode(Double.self, forKey: key)
            } else if name == "aud" {
                if let single = try? container.decode(String.self, forKey: key) {
                    audiences = [single]
                } else {
                    audiences = try container.decode([String].self, forKey: key)
                }
            } else if let value = try? container.decode(String.self, forKey: key) {
                strings[name] = value
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ClaimKey.self)
        for (name, value) in strings.all { try container.encode(value, forKey: ClaimKey(name.value)) }
        for (name, value) in numericDates { try container.encode(value, forKey: ClaimKey(name)) }
        if audiences.count > 1 { try container.encode(audiences, forKey: ClaimKey("aud")) }
    }

    /// Claims are validated by ``ClaimsPolicy`` after the signature, not by jwt-kit.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A claim name as a coding key.
private struct ClaimKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// String claims keyed by the bytes of their names: a claim whose name is only canonically
/// equivalent to the configured user claim is another claim, and two such claims never collide.
struct ClaimStrings: Sendable {
    private(set) var all: [ByteExactString: String] = [:]

    /// The value of the claim named exactly `name`.
    subscript(name: String) -> String? {
        get { all[ByteExactString(name)] }
        set { all[ByteExactString(name)] = newValue }
    }
}
