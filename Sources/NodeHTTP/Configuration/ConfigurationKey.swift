/// One configuration key the nodes read: its name, what values it accepts and a one-line
/// summary for `--help` (docs/configuration.md has the full text).
public struct ConfigurationKey: Sendable {
    /// What a key's value must be.
    public enum Kind: Sendable {
        /// Any text.
        case text
        /// Comma-separated text.
        case list
        /// An integer in `range`.
        case integer(ClosedRange<Int64>)
        /// A number of seconds (or another decimal) at least `minimum`.
        case decimal(minimum: Double)
        /// `true`/`false` (also `yes`/`no`, `1`/`0`).
        case boolean
        /// One of `values`.
        case choice([String])
    }

    /// The key path (`maxUploadBytes`, `s3.bucket`).
    public let key: String
    /// Accepted values.
    public let kind: Kind
    /// The default as shown in `--help`.
    public let defaultValue: String
    /// One line for `--help`.
    public let summary: String

    /// A key's description.
    public init(_ key: String, _ kind: Kind, _ defaultValue: String, _ summary: String) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// The command-line spelling (`--max-upload-bytes`).
    public var flag: String { ConfigurationError.flag(for: key) }
    /// The environment spelling (`UDS_MAX_UPLOAD_BYTES`).
    public var environmentVariable: String { ConfigurationError.environmentVariable(for: key) }

    /// What the key accepts, in words, for error messages.
    public var accepted: String {
        switch kind {
        case .text: "any text"
        case .list: "a comma-separated list"
        case .integer(let range) where range.upperBound == .max: "an integer ≥ \(range.lowerBound)"
        case .integer(let range): "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .decimal(let minimum): "a number ≥ \(minimum)"
        case .boolean: "true or false"
        case .choice(let values): "one of " + values.joined(separator: ", ")
        }
    }

    /// Checks one value.
    /// - Throws: ``ConfigurationError`` naming the key and what it accepts.
    func validate(_ value: String) throws(ConfigurationError) {
        let valid: Bool
        switch kind {
        case .text, .list: valid = true
        case .integer(let range): valid = Int64(value).map(range.contains) ?? false
        case .decimal(let minimum): valid = Double(value).map { $0.isFinite && $0 >= minimum } ?? false
        case .boolean: valid = ["true", "false", "yes", "no", "1", "0"].contains(value.lowercased())
        case .choice(let values): valid = values.contains(value)
        }
        guard valid else {
            throw ConfigurationError(key: key, message: "\(Self.quoted(value, secret: isSecret)) is not \(accepted)")
        }
    }

    /// Keys whose values are never echoed.
    var isSecret: Bool { ["metadataUrls", "s3.secretKey", "s3.sessionToken", "auth.hs256.secret"].contains(key) }

    private static func quoted(_ value: String, secret: Bool) -> String {
        secret ? "the value" : "\"\(value.prefix(80))\""
    }
}
