import CoreStore
import Foundation
import HummingbirdTesting
import TestSupport
import Testing

/// After uploads (raw and form) and downloads (cache fills), everything the nodes wrote under the
/// data directory is private: directories 0700, files 0600 (docs/architecture.md, local files).
@Suite("local file modes after real traffic")
struct LocalFileModesRouteTests {
    @Test("spool, objects, cache and SQLite: directories 0700, files 0600")
    func everythingWrittenIsPrivate() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("modes-traffic")
        let bytes = MultipartBody.randomBytes(300_000, seed: 5)
        try await InProcessNodes.run(directory: directory) { upload, download in
            #expect(try await InProcessNodes.put(upload, name: "a.bin", uid: "alice", as: "alice", bytes: bytes) == 200)
            for _ in 0..<2 {
                let read = try await InProcessNodes.get(download, name: "a.bin", uid: "alice", as: "alice")
                #expect(read.status == 200)
                #expect(read.body == bytes)
            }
            for name in ["objects", "spool", "cache"] {
                #expect(FileModes.of(directory + "/" + name) == 0o700, "\(name)")
                #expect(FileModes.notPrivate(under: directory + "/" + name) == [], "\(name)")
            }
            for file in ["metadata.sqlite3", "metadata.sqlite3-wal", "metadata.sqlite3-shm"] {
                #expect(FileModes.of(directory + "/" + file) == 0o600, "\(file)")
            }
        }
    }
}
