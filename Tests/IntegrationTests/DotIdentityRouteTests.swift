import CoreStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

/// The user ids "." and ".." upload and download like any other id (never a 5xx); the file names
/// "." and ".." are 400 INVALID_FILE_NAME.
@Suite("user ids and file names . and ..")
struct DotIdentityRouteTests {
    @Test("users . and .. upload (raw and form), download and list their files", arguments: [".", ".."])
    func dotUsers(_ user: String) async throws {
        let raw = Array("raw bytes of \(user)".utf8)
        let form = Array("form bytes of \(user)".utf8)
        try await InProcessNodes.run { upload, download in
            #expect(try await InProcessNodes.put(upload, name: "raw.txt", uid: user, as: user, bytes: raw) == 200)
            let posted = try await InProcessNodes.postForm(upload, name: "form.txt", as: user, bytes: form)
            #expect(posted.status == 200, "\(posted.body)")
            let one = try await InProcessNodes.get(download, name: "raw.txt", uid: user, as: user)
            #expect(one.status == 200)
            #expect(one.body == raw)
            let two = try await InProcessNodes.get(download, name: "form.txt", uid: user, as: user)
            #expect(two.status == 200)
            #expect(two.body == form)
            let listing = try await InProcessNodes.list(download, uid: user, as: user)
            #expect(Set(listing.names) == [Array("raw.txt".utf8), Array("form.txt".utf8)])
        }
    }

    @Test("file names . and .. are 400 INVALID_FILE_NAME, raw and form", arguments: [".", ".."])
    func dotFileNames(_ name: String) async throws {
        try await InProcessNodes.run { upload, _ in
            let bytes = Array("x".utf8)
            #expect(try await InProcessNodes.put(upload, name: name, uid: "alice", as: "alice", bytes: bytes) == 400)
            let posted = try await InProcessNodes.postForm(upload, name: name, as: "alice", bytes: bytes)
            #expect(posted.status == 400)
            #expect(posted.body.contains("INVALID_FILE_NAME"), "\(posted.body)")
        }
    }
}
