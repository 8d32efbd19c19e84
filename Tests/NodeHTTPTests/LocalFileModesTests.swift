import CoreStore
import Foundation
import Logging
import TestSupport
import Testing

@testable import NodeHTTP

/// The data directory is 0700 and the SQLite files 0600, set explicitly (not left to the umask).
@Suite("local file modes: data directory 0700, SQLite files 0600")
struct LocalFileModesTests {
    static var logger: Logger {
        var logger = Logger(label: "test.modes")
        logger.logLevel = .critical
        return logger
    }

    static func backends(dataDirectory: String) async throws -> NodeBackends {
        var configuration = NodeConfiguration(role: .upload)
        configuration.dataDirectory = dataDirectory
        configuration.blockingThreads = 2
        return try await NodeBackends.make(configuration: configuration, environment: [:], logger: logger)
    }

    @Test("a new data directory (and the parents the node creates) is 0700; metadata.sqlite3, -wal, -shm are 0600")
    func freshDataDirectory() async throws {
        let root = IntegrationEnvironment.temporaryDirectory("modes")
        let data = root + "/new/data"
        let backends = try await Self.backends(dataDirectory: data)
        _ = try await backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "a"))
        #expect(FileModes.of(root + "/new") == 0o700)
        #expect(FileModes.of(data) == 0o700)
        for file in ["metadata.sqlite3", "metadata.sqlite3-wal", "metadata.sqlite3-shm"] {
            #expect(FileModes.of(data + "/" + file) == 0o600, "\(file)")
        }
        withExtendedLifetime(backends) {}
    }

    @Test("an existing 0755 data directory with 0644 SQLite files (older versions) is tightened at start")
    func existingDataDirectoryIsTightened() async throws {
        let data = IntegrationEnvironment.temporaryDirectory("modes-old")
        let first = try await Self.backends(dataDirectory: data)  // kept open: its -wal and -shm stay
        for file in ["metadata.sqlite3", "metadata.sqlite3-wal", "metadata.sqlite3-shm"] {
            #expect(chmod(data + "/" + file, 0o644) == 0, "\(file)")
        }
        #expect(chmod(data, 0o755) == 0)
        let second = try await Self.backends(dataDirectory: data)
        #expect(FileModes.of(data) == 0o700)
        for file in ["metadata.sqlite3", "metadata.sqlite3-wal", "metadata.sqlite3-shm"] {
            #expect(FileModes.of(data + "/" + file) == 0o600, "\(file)")
        }
        withExtendedLifetime((first, second)) {}
    }

    @Test("PrivateFileModes.makeDirectory: every created component 0700, existing parents untouched")
    func makeDirectory() throws {
        let root = IntegrationEnvironment.temporaryDirectory("modes-mkdir")
        #expect(chmod(root, 0o755) == 0)
        try PrivateFileModes.makeDirectory(root + "/a/b/c")
        #expect(FileModes.of(root) == 0o755)
        for path in ["/a", "/a/b", "/a/b/c"] { #expect(FileModes.of(root + path) == 0o700, "\(path)") }
        #expect(throws: PrivateFileModes.DirectoryError.self) {
            FileManager.default.createFile(atPath: root + "/file", contents: Data())
            try PrivateFileModes.makeDirectory(root + "/file")
        }
    }
}
