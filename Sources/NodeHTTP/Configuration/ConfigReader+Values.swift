import Configuration
import Foundation

extension ConfigReader {
    /// A comma-separated list from any provider. The command-line provider hands `--key a,b` over
    /// as two values, which `string(forKey:)` does not accept (it would silently fall back to the
    /// default), so the array form is asked first and a plain string (a JSON file) second.
    func list(forKey key: ConfigKey, isSecret: Bool = false) -> [String] {
        if let values = stringArray(forKey: key, isSecret: isSecret) {
            return values.flatMap(\.commaSeparated)
        }
        return string(forKey: key, isSecret: isSecret, default: "").commaSeparated
    }

    /// A 64-bit integer key (the reader's integers are `Int`).
    func int64(forKey key: ConfigKey, default defaultValue: Int64) -> Int64 {
        Int64(int(forKey: key, default: Int(defaultValue)))
    }
}

extension Optional where Wrapped == String {
    /// The value without surrounding spaces, or `nil` when it is missing or blank.
    var nonEmpty: String? {
        guard let value = self?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

extension String {
    /// The comma-separated items, trimmed, blanks dropped.
    var commaSeparated: [String] {
        split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
