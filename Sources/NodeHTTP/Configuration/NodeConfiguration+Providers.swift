public import Configuration
import Foundation
import SystemPackage

extension NodeConfiguration {
    /// The standard reader: command-line flags, then `UDS_*` environment variables, then an
    /// optional JSON file named by `--config-file` / `UDS_CONFIG_FILE`.
    /// - Parameters:
    ///   - arguments: The process arguments (including the program name).
    ///   - environment: The process environment.
    /// - Throws: What `FileProvider` throws for a named file that is missing or not JSON
    ///   (``StrictConfiguration`` refuses such a file first, naming `configFile`).
    public static func reader(arguments: [String], environment: [String: String]) async throws -> ConfigReader {
        let flags = CommandLineArgumentsProvider(arguments: arguments)
        let env = KeyMappingProvider(upstream: EnvironmentVariablesProvider(environmentVariables: environment)) {
            $0.prepending(["uds"])
        }
        let bootstrap = ConfigReader(providers: [flags, env])
        var providers: [any ConfigProvider] = [flags, env]
        if let file = bootstrap.string(forKey: "configFile").nonEmpty {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
        }
        return ConfigReader(providers: providers)
    }
}
