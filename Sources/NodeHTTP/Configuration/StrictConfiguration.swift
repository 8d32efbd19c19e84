import Foundation

/// The start-up check that refuses a configuration the node would otherwise half-ignore: an
/// unknown flag, an unknown `UDS_*` variable, an unknown key in the JSON file, a value that does
/// not parse or is out of range, a single-valued key given several values, or a stray argument.
/// (swift-configuration falls back to the default for a value it cannot parse, so a typo in
/// `--max-upload-bytes` would run production on the default.)
public enum StrictConfiguration {
    /// Checks the arguments, the environment and the JSON file named by `configFile`.
    /// - Parameters:
    ///   - arguments: The process arguments (the program name first).
    ///   - environment: The process environment.
    /// - Throws: ``ConfigurationError`` naming the first problem and what is accepted.
    public static func validate(arguments: [String], environment: [String: String]) throws(ConfigurationError) {
        let flags = try flagValues(arguments)
        for (flag, values) in flags {
            guard let key = keysByFlag[flag] else {
                throw ConfigurationError(environmentVariable: flag, message: "unknown flag (--help lists every key)")
            }
            try validate(key, values: values, spelling: flag)
        }
        for (name, value) in environment where name.hasPrefix("UDS_") {
            if ConfigurationKeys.otherEnvironmentVariables.contains(name) { continue }
            guard let key = keysByEnvironment[name] else {
                throw ConfigurationError(
                    environmentVariable: name, message: "unknown environment variable (--help lists every key)")
            }
            try validate(key, values: [value], spelling: name)
        }
        let file = flags["--config-file"]?.first ?? environment["UDS_CONFIG_FILE"]
        if let file, !file.isEmpty {
            try validateFile(at: file)
        }
    }

    private static let keysByFlag = Dictionary(uniqueKeysWithValues: ConfigurationKeys.all.map { ($0.flag, $0) })
    private static let keysByEnvironment = Dictionary(
        uniqueKeysWithValues: ConfigurationKeys.all.map { ($0.environmentVariable, $0) })

    private static func validate(_ key: ConfigurationKey, values: [String], spelling: String) throws(ConfigurationError)
    {
        if case .boolean = key.kind, values.isEmpty { return }  // a bare `--flag` is `true`
        guard !values.isEmpty else {
            throw ConfigurationError(key: key.key, message: "needs a value (\(key.accepted))")
        }
        if !key.kind.isList, values.count > 1 {
            throw ConfigurationError(
                key: key.key,
                message: "takes one value, got \(values.count) (a comma or a second word after \(spelling))")
        }
        for value in values { try key.validate(value) }
    }

    /// The flags as swift-configuration's command-line provider reads them: `--key v1 v2`,
    /// `--key=v`, values split at commas.
    /// - Throws: ``ConfigurationError`` for an argument that belongs to no flag.
    static func flagValues(_ arguments: [String]) throws(ConfigurationError) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var current: String?
        for argument in arguments.dropFirst() {
            if argument.hasPrefix("--") {
                if let equals = argument.firstIndex(of: "=") {
                    result[String(argument[..<equals]), default: []] += split(
                        String(argument[argument.index(after: equals)...]))
                    current = nil
                } else {
                    current = argument
                    result[argument, default: []] += []
                }
            } else if let current {
                result[current, default: []] += split(argument)
            } else {
                throw ConfigurationError(
                    environmentVariable: argument, message: "unexpected argument (flags are --key value)")
            }
        }
        return result
    }

    private static func split(_ value: String) -> [String] {
        value.isEmpty ? [""] : value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    private static func validateFile(at path: String) throws(ConfigurationError) {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw ConfigurationError(key: "configFile", message: "\(path) is not a readable JSON object") }
        for (key, value) in flatten(object, prefix: "") {
            guard let known = ConfigurationKeys.named(key) else {
                throw ConfigurationError(environmentVariable: key, message: "unknown key in \(path)")
            }
            let values = (value as? [Any])?.map { "\($0)" } ?? [text(of: value)]
            try validate(known, values: values, spelling: key)
        }
    }

    private static func flatten(_ object: [String: Any], prefix: String) -> [(String, Any)] {
        object.flatMap { key, value -> [(String, Any)] in
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value as? [String: Any] { return flatten(nested, prefix: path) }
            return [(path, value)]
        }
    }

    private static func text(of value: Any) -> String {
        if let flag = value as? Bool, !(value is Int) || "\(value)" == "true" || "\(value)" == "false" {
            return flag ? "true" : "false"
        }
        return "\(value)"
    }
}

extension ConfigurationKey.Kind {
    /// Whether the key takes a comma-separated list.
    var isList: Bool {
        if case .list = self { return true }
        return false
    }
}
