/// A configuration value the node cannot start with; the message names the key in all three
/// spellings and never contains a password.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key path (`metadataUrls`).
    public var key: String
    /// What is wrong with its value.
    public var message: String
    /// Whether the key is an environment variable read before the configuration (`UDS_SIMD`),
    /// which has no flag or file spelling.
    public var isEnvironmentOnly = false

    /// Creates an error.
    /// - Parameters:
    ///   - key: The key path.
    ///   - message: What is wrong (already redacted).
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    /// An error of an environment-only variable.
    /// - Parameters:
    ///   - environmentVariable: The variable (`UDS_SIMD`).
    ///   - message: What is wrong.
    public init(environmentVariable: String, message: String) {
        self.init(key: environmentVariable, message: message)
        isEnvironmentOnly = true
    }

    /// `invalid configuration: metadataUrls (--metadata-urls, UDS_METADATA_URLS): …`, or
    /// `invalid configuration: UDS_SIMD: …` for an environment-only variable.
    public var description: String {
        if isEnvironmentOnly { return "invalid configuration: \(key): \(message)" }
        return
            "invalid configuration: \(key) (\(Self.flag(for: key)), \(Self.environmentVariable(for: key))): \(message)"
    }

    /// The command-line spelling of a key (`s3.bucket` → `--s3-bucket`).
    static func flag(for key: String) -> String {
        "--" + words(of: key).joined(separator: "-")
    }

    /// The environment spelling of a key (`s3.bucket` → `UDS_S3_BUCKET`).
    static func environmentVariable(for key: String) -> String {
        (["uds"] + words(of: key)).joined(separator: "_").uppercased()
    }

    private static func words(of key: String) -> [String] {
        var words: [String] = []
        for part in key.split(separator: ".") {
            var word = ""
            for character in part {
                if character.isUppercase, !word.isEmpty {
                    words.append(word)
                    word = ""
                }
                word.append(Character(character.lowercased()))
            }
            words.append(word)
        }
        return words
    }
}
