import CoreStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

/// Identities are bytes at the routes (docs/api.md "Identities are bytes"): a token whose user is
/// only canonically equivalent to another's gets 403 on that user's paths, and canonically
/// equivalent file names are different files.
@Suite("identities compare by bytes at the routes")
struct IdentityBytesRouteTests {
    static let kelvin = "\u{212A}ate"  // KELVIN SIGN + "ate": Swift's String calls it equal to "Kate"

    @Test("a Kelvin-sign token cannot read, list, overwrite or delete Kate's files")
    func kelvinSignIsNotKate() async throws {
        let secret = Array("kate's secret".utf8)
        try await InProcessNodes.run { upload, download in
            #expect(
                try await InProcessNodes.put(upload, name: "notes.txt", uid: "Kate", as: "Kate", bytes: secret) == 200)
            for method in [HTTPRequest.Method.get, .head] {
                let read = try await InProcessNodes.get(
                    download, name: "notes.txt", uid: "Kate", as: Self.kelvin, method: method)
                #expect(read.status == 403, "\(method)")
                #expect(read.body != secret)
            }
            #expect(try await InProcessNodes.list(download, uid: "Kate", as: Self.kelvin).status == 403)
            let overwrite = try await InProcessNodes.put(
                upload, name: "notes.txt", uid: "Kate", as: Self.kelvin, bytes: Array("mallory".utf8))
            #expect(overwrite == 403)
            let delete = try await upload.execute(
                uri: "/upload_download_service/notes.txt/Kate", method: .delete,
                headers: [.authorization: TestNode.bearer(Self.kelvin)]
            ) { Int($0.status.code) }
            #expect(delete == 403)
            // Kate still reads her own bytes; the Kelvin user's own space is empty.
            let own = try await InProcessNodes.get(download, name: "notes.txt", uid: "Kate", as: "Kate")
            #expect(own.status == 200)
            #expect(own.body == secret)
            let other = try await InProcessNodes.get(download, name: "notes.txt", uid: Self.kelvin, as: Self.kelvin)
            #expect(other.status == 404)
            #expect(try await InProcessNodes.list(download, uid: Self.kelvin, as: Self.kelvin).names.isEmpty)
        }
    }

    @Test("\"caf\\u{E9}.txt\" and \"cafe\\u{301}.txt\" are two files, each served with its own bytes")
    func equivalentNamesAreTwoFiles() async throws {
        let precomposed = "caf\u{E9}.txt"
        let decomposed = "cafe\u{301}.txt"
        let first = Array("precomposed bytes".utf8)
        let second = Array("decomposed, other bytes".utf8)
        try await InProcessNodes.run { upload, download in
            #expect(
                try await InProcessNodes.put(upload, name: precomposed, uid: "alice", as: "alice", bytes: first) == 200)
            #expect(
                try await InProcessNodes.put(upload, name: decomposed, uid: "alice", as: "alice", bytes: second) == 200)
            let one = try await InProcessNodes.get(download, name: precomposed, uid: "alice", as: "alice")
            #expect(one.status == 200)
            #expect(one.body == first)
            let two = try await InProcessNodes.get(download, name: decomposed, uid: "alice", as: "alice")
            #expect(two.status == 200)
            #expect(two.body == second)
            let listing = try await InProcessNodes.list(download, uid: "alice", as: "alice")
            #expect(listing.status == 200)
            #expect(Set(listing.names) == [Array(precomposed.utf8), Array(decomposed.utf8)])
            #expect(listing.names.count == 2)
        }
    }
}
