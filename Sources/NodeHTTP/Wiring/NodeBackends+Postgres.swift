import CoreStore
import Foundation
import Logging

extension NodeBackends {
    /// The PostgreSQL metadata backend of `metadataUrls`: parsed (a bad URL stops the node with
    /// an error naming the key), migrated, clients not yet running.
    /// - Throws: ``ConfigurationError``, `PostgresMigrationError`.
    static func openPostgresMetadata(
        configuration: MetadataConfiguration, logger: Logger
    ) async throws -> PostgresMetadataBackend {
        let shards = try postgresShards(configuration: configuration)
        var options = PostgresPoolOptions()
        options.maximumConnections = configuration.poolSize
        options.connectTimeout = .seconds(max(0.1, configuration.connectTimeoutSeconds))
        options.queryTimeout = .seconds(max(0.1, configuration.queryTimeoutSeconds))
        do {
            return try await PostgresMetadataBackend.open(
                shards: shards, options: options,
                migrationTimeout: .seconds(max(1, configuration.migrationTimeoutSeconds)), logger: logger)
        } catch let error as PostgresURLError {
            throw ConfigurationError(key: "metadataUrls", message: error.message)
        }
    }

    /// The parsed `metadataUrls`, with the password file's password for URLs without one.
    /// - Throws: ``ConfigurationError`` naming `metadataUrls` or `metadataPasswordFile`.
    static func postgresShards(configuration: MetadataConfiguration) throws -> [PostgresConnectionSettings] {
        var password: String?
        if let path = configuration.passwordFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(key: "metadataPasswordFile", message: "cannot read \(path)")
            }
            var text = String(decoding: data, as: UTF8.self)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            password = text
        }
        return try configuration.urls.enumerated().map { index, url in
            do {
                return try PostgresConnectionSettings(url: url, fallbackPassword: password)
            } catch let error as PostgresURLError {
                let position = configuration.urls.count > 1 ? "URL \(index + 1): " : ""
                throw ConfigurationError(key: "metadataUrls", message: position + error.message)
            }
        }
    }
}
