import Foundation
import NodeHTTP
import TestSupport
import Testing

@Suite("strict configuration: unknown or unparsable settings stop the node")
struct StrictConfigurationTests {
    private func error(_ arguments: [String], _ environment: [String: String] = [:]) -> String? {
        do {
            try StrictConfiguration.validate(arguments: ["upload-node"] + arguments, environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a valid value for every key passes as a flag, as a variable and in a JSON file")
    func everyKeyAccepted() throws {
        let samples = ConfigurationKeys.all.filter { $0.key != "configFile" }.map { ($0, Self.sample(for: $0.kind)) }
        #expect(error(samples.flatMap { [$0.0.flag, $0.1] }) == nil)
        #expect(error([], Dictionary(uniqueKeysWithValues: samples.map { ($0.0.environmentVariable, $0.1) })) == nil)
        let path = IntegrationEnvironment.processRoot + "/uds-config-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var object: [String: Any] = [:]
        for (key, value) in samples {
            object[key.key] = value  // dotted keys as written; nested objects are checked below
        }
        object["s3"] = ["bucket": "b", "createBucket": true]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        #expect(error(["--config-file", path]) == nil)
        #expect(error(["--s3-create-bucket", "--port", "8001"]) == nil, "a bare boolean flag is true")
    }

    @Test("unknown flags, variables, file keys and stray arguments are named")
    func unknownSpellings() throws {
        #expect(error(["--max-uplod-bytes", "5"])?.contains("--max-uplod-bytes: unknown flag") == true)
        #expect(error([], ["UDS_MAX_UPLOAD": "5"])?.contains("UDS_MAX_UPLOAD: unknown environment variable") == true)
        #expect(error([], ["UDS_METADATA_CACHE_SECONDS": "5"]) != nil, "a removed key is refused, not ignored")
        #expect(error([], ["UDS_SIMD": "auto", "UDS_BIN_DIR": "/x", "OTHER": "y"]) == nil)
        #expect(error(["serve"])?.contains("serve: unexpected argument") == true)
        let path = IntegrationEnvironment.processRoot + "/uds-config-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"s3": {"buckett": "x"}}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(error(["--config-file", path])?.contains("s3.buckett: unknown key") == true)
        #expect(error([], ["UDS_CONFIG_FILE": path])?.contains("s3.buckett") == true)
        #expect(error(["--config-file", path + ".missing"])?.contains("configFile") == true)
    }

    @Test("values that do not parse or are out of range name the key and what it accepts")
    func badValues() {
        let cases: [([String], [String: String], String)] = [
            (
                ["--max-upload-bytes", "5x"], [:],
                #"maxUploadBytes (--max-upload-bytes, UDS_MAX_UPLOAD_BYTES): "5x" is not an integer ≥ 1"#
            ),
            ([], ["UDS_PORT": "70000"], "port (--port, UDS_PORT): \"70000\" is not an integer from 0 to 65535"),
            (["--log-level", "verbose"], [:], "is not one of trace, debug, info, notice, warning, error, critical"),
            (["--s3-create-bucket", "maybe"], [:], "is not true or false"),
            (["--idle-timeout-seconds", "-1"], [:], "is not a number ≥ 0.001"),
            (["--multipart-part-bytes", "1048576"], [:], "is not an integer ≥ 5242880"),
            (["--port", "8001", "8002"], [:], "takes one value, got 2"),
            (["--s3-endpoint", "http://a,http://b"], [:], "takes one value, got 2"),
            (["--port"], [:], "needs a value"),
            (["--s3-secret-key", "abc", "def"], [:], "takes one value"),
        ]
        for (arguments, environment, expected) in cases {
            let message = error(arguments, environment)
            #expect(message?.contains(expected) == true, "\(arguments) \(environment): \(message ?? "accepted")")
        }
        #expect(error(["--auth-hs256-secret", "x"]) == nil)
        #expect(error(["--metadata-urls", "postgres://u:hunter2@h/db,postgres://u:hunter2@h/db2"]) == nil)
        let secret = error(["--s3-session-token", "a", "b"]) ?? ""
        #expect(!secret.contains("\"a\""), "secrets are never echoed")
    }

    @Test("--help and docs/configuration.md list exactly the keys the node accepts")
    func documented() throws {
        let help = CommandLineHelp.text(role: .download)
        for key in ConfigurationKeys.all {
            #expect(help.contains("\(key.flag) (\(key.environmentVariable))"), "\(key.key) in --help")
        }
        let docs = try String(contentsOfFile: Self.repositoryRoot + "/docs/configuration.md", encoding: .utf8)
        // Rows of the key tables: | `key` | `--flag` | `UDS_…` | …
        let documented = Set(
            docs.split(separator: "\n").compactMap { line -> String? in
                let columns = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard columns.count > 2, columns[0].hasPrefix("`"), columns[1].hasPrefix("`--"),
                    columns[2].hasPrefix("`UDS_")
                else { return nil }
                return columns[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            })
        // `user` and `ttl` are the options of `upload-node dev-token`, not node keys.
        #expect(documented.subtracting(["user", "ttl"]) == Set(ConfigurationKeys.all.map(\.key)))
    }

    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    private static func sample(for kind: ConfigurationKey.Kind) -> String {
        switch kind {
        case .text: "x"
        case .list: "a,b"
        case .integer(let range): String(range.lowerBound)
        case .decimal(let minimum): String(minimum)
        case .boolean: "true"
        case .choice(let values): values[0]
        }
    }
}
