public import CoreStore
import Foundation
public import Logging

extension PostgresServer {
    /// Short timeouts, so tests of a down shard finish quickly.
    public static var testOptions: PostgresPoolOptions {
        var options = PostgresPoolOptions()
        options.maximumConnections = 4
        options.connectTimeout = .seconds(2)
        options.queryTimeout = .seconds(3)
        return options
    }

    /// Opens (migrating) the backend of `urls`, runs its clients while `body` runs, then stops them.
    /// - Parameters:
    ///   - urls: Database URLs, shards in order.
    ///   - options: Pool size and timeouts.
    ///   - logger: The backend's logger.
    ///   - body: The test, given the running backend.
    public static func withBackend<Result>(
        urls: [String], options: PostgresPoolOptions = testOptions, logger: Logger,
        _ body: (PostgresMetadataBackend) async throws -> Result
    ) async throws -> Result {
        let shards = try urls.map { try PostgresConnectionSettings(url: $0) }
        let backend = try await PostgresMetadataBackend.open(
            shards: shards, options: options, migrationTimeout: .seconds(30), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await backend.run() }
            defer { group.cancelAll() }
            return try await body(backend)
        }
    }
}
