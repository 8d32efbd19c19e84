import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@testable import DownloadNode

/// Read-after-write (design §5.1): once a replace or delete has committed, the very next request to
/// any download node answers the new version (or 404), whatever its caches held.
@Suite("download-node read-after-write")
struct ReadAfterWriteRouteTests {
    static let alice: HTTPFields = [.authorization: TestNode.bearer("alice")]
    static let uri = "/upload_download_service/doc.bin/alice"

    /// Version `n` of the file: its own bytes and its own size.
    static func version(_ n: Int) -> [UInt8] { MultipartBody.randomBytes(300_000 + 1000 * n, seed: UInt64(100 + n)) }

    static func fields(_ extra: (HTTPField.Name, String)...) -> HTTPFields {
        var fields = alice
        for (name, value) in extra { fields[name] = value }
        return fields
    }

    /// Expects `client`'s node to answer GET, HEAD and a Range GET with `record`'s version, `bytes`.
    static func expectServes(
        _ client: some TestClientProtocol, _ bytes: [UInt8], record: FileRecord, _ comment: Comment
    ) async throws {
        let etag = "\"\(record.md5.hex)\""
        try await client.execute(uri: uri, method: .get, headers: alice) { response in
            #expect(response.status == .ok, comment)
            #expect(response.headers[.eTag] == etag, comment)
            #expect(response.headers[.contentLength] == String(bytes.count), comment)
            let served = Array(buffer: response.body)
            let isVersion = served == bytes  // a Bool, so a failure does not print 300 KB
            #expect(isVersion, "\(comment): \(served.count) bytes, md5 \(MD5Hasher.digest(served).hex)")
        }
        try await client.execute(uri: uri, method: .head, headers: alice) { response in
            #expect(response.status == .ok, comment)
            #expect(response.headers[.eTag] == etag, comment)
        }
        try await client.execute(uri: uri, method: .get, headers: fields((.range, "bytes=100-1099"))) { response in
            #expect(response.status == .partialContent, comment)
            #expect(response.headers[.eTag] == etag, comment)
            #expect(response.headers[.contentRange] == "bytes 100-1099/\(bytes.count)", comment)
            let isRange = Array(buffer: response.body) == Array(bytes[100..<1100])
            #expect(isRange, comment)
        }
    }

    /// Expects GET, HEAD and a Range GET of the name to be 404 on `client`'s node.
    static func expectGone(_ client: some TestClientProtocol, _ comment: Comment) async throws {
        for (method, extra) in [(HTTPRequest.Method.get, nil), (.head, nil), (.get, "bytes=0-9")]
            as [(HTTPRequest.Method, String?)]
        {
            let headers = extra.map { fields((.range, $0)) } ?? alice
            try await client.execute(uri: uri, method: method, headers: headers) { response in
                #expect(response.status == .notFound, "\(method) \(extra ?? "") \(comment)")
                let isNotFound = String(buffer: response.body).contains("FILE_NOT_FOUND")
                if method == .get { #expect(isNotFound, comment) }
            }
        }
    }

    /// One listing entry.
    struct Listed: Sendable {
        let md5: String?
        let size: Int?
    }

    /// The listing's entries, by name.
    static func listing(_ client: some TestClientProtocol) async throws -> [String: Listed] {
        try await client.execute(uri: "/upload_download_service/users/alice/files", method: .get, headers: alice) {
            response in
            #expect(response.status == .ok)
            let page = try JSONDecoder().decode(ListingPage.self, from: Data(response.body.readableBytesView))
            return Dictionary(
                page.files.map { ($0.name, Listed(md5: $0.md5, size: $0.size)) },
                uniquingKeysWith: { first, _ in first })
        }
    }

    /// Reads the current version (GET, HEAD, Range), then once more and expects that read not to
    /// reach the object store: the node now holds the version in its disk cache (or a fill of it).
    static func warm(
        _ client: some TestClientProtocol, _ bytes: [UInt8], record: FileRecord, store: CountingObjectStore
    ) async throws {
        try await expectServes(client, bytes, record: record, "warming")
        let reads = store.getCount + store.streamCount
        try await client.execute(uri: uri, method: .get, headers: alice) { response in
            let isVersion = Array(buffer: response.body) == bytes
            #expect(isVersion)
        }
        #expect(store.getCount + store.streamCount == reads, "the warm read came from the node's disk cache")
    }

    /// Two download nodes with their own disk caches over one metadata store and one object store,
    /// as several nodes behind a load balancer; `seed` writes through the shared backends.
    static func twoNodes() async throws -> (
        seed: NodeMain.Parts, a: NodeMain.Parts, b: NodeMain.Parts,
        storeA: CountingObjectStore, storeB: CountingObjectStore
    ) {
        let seed = try await TestNode.parts(role: .download)
        let sqlite = seed.configuration.resolvedSQLitePath
        let storeA = CountingObjectStore(seed.backends.objectStore)
        let storeB = CountingObjectStore(seed.backends.objectStore)
        let a = try await TestNode.parts(
            role: .download, objectStore: storeA, configure: { $0.metadata.sqlitePath = sqlite })
        let b = try await TestNode.parts(
            role: .download, objectStore: storeB, configure: { $0.metadata.sqlitePath = sqlite })
        return (seed, a, b, storeA, storeB)
    }

    @Test(
        "after a replace, the very next GET/HEAD/Range on every node serves the new bytes and ETag; the listing shows it"
    )
    func replaceIsSeenAtOnceOnEveryNode() async throws {
        let nodes = try await Self.twoNodes()
        let first = try await FileSeeder.seed(Self.version(0), user: "alice", name: "doc.bin", parts: nodes.seed)
        let appA = try makeDownloadApp(nodes.a)
        let appB = try makeDownloadApp(nodes.b)
        try await appA.test(.live) { clientA in
            try await appB.test(.live) { clientB in
                var (current, bytes) = (first, Self.version(0))
                for round in 1...5 {
                    try await Self.warm(clientA, bytes, record: current, store: nodes.storeA)
                    try await Self.warm(clientB, bytes, record: current, store: nodes.storeB)
                    let next = Self.version(round)
                    let (record, replaced) = try await FileSeeder.replace(
                        next, user: "alice", name: "doc.bin", parts: nodes.seed)
                    #expect(replaced?.fileID == current.fileID)
                    try await Self.expectServes(clientA, next, record: record, "node A, round \(round)")
                    try await Self.expectServes(clientB, next, record: record, "node B, round \(round)")
                    let listed = try await Self.listing(clientB)["doc.bin"]
                    #expect(listed?.md5 == record.md5.hex, "round \(round)")
                    #expect(listed?.size == next.count, "round \(round)")
                    (current, bytes) = (record, next)
                }
            }
        }
    }

    @Test("after a delete, the very next GET, HEAD and Range GET on every node are 404 and the listing drops it")
    func deleteIsSeenAtOnceOnEveryNode() async throws {
        let nodes = try await Self.twoNodes()
        let appA = try makeDownloadApp(nodes.a)
        let appB = try makeDownloadApp(nodes.b)
        try await appA.test(.live) { clientA in
            try await appB.test(.live) { clientB in
                for round in 1...3 {
                    let bytes = Self.version(round)
                    let record = try await FileSeeder.seed(bytes, user: "alice", name: "doc.bin", parts: nodes.seed)
                    try await Self.warm(clientA, bytes, record: record, store: nodes.storeA)
                    try await Self.warm(clientB, bytes, record: record, store: nodes.storeB)
                    #expect(try await Self.listing(clientA)["doc.bin"] != nil)
                    let removed = try await FileSeeder.remove(user: "alice", name: "doc.bin", parts: nodes.seed)
                    #expect(removed?.fileID == record.fileID)
                    try await Self.expectGone(clientA, "node A, round \(round)")
                    try await Self.expectGone(clientB, "node B, round \(round)")
                    #expect(try await Self.listing(clientA)["doc.bin"] == nil, "round \(round)")
                    #expect(try await Self.listing(clientB)["doc.bin"] == nil, "round \(round)")
                }
            }
        }
    }

    @Test(
        "a version replaced or deleted between lookup and open is looked up again: new bytes or 404, never a short 206")
    func racedVersionIsLookedUpAgain() async throws {
        let seed = try await TestNode.parts(role: .download)
        let racing = RacingObjectStore(seed.backends.objectStore)
        let parts = try await TestNode.parts(
            role: .download, dataDirectory: seed.configuration.dataDirectory, objectStore: racing)
        try await FileSeeder.seed(Self.version(0), user: "alice", name: "doc.bin", parts: seed)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            // A Range GET on a miss reads just the range from the store: replaced before it opens.
            let second = Self.version(1)
            racing.beforeNextRead {
                _ = try await FileSeeder.replace(second, user: "alice", name: "doc.bin", parts: seed)
            }
            try await client.execute(uri: Self.uri, method: .get, headers: Self.fields((.range, "bytes=1000-1999"))) {
                response in
                #expect(response.status == .partialContent)
                #expect(response.headers[.contentRange] == "bytes 1000-1999/\(second.count)")
                #expect(response.headers[.eTag] == "\"\(MD5Hasher.digest(second).hex)\"")
                let isRange = Array(buffer: response.body) == Array(second[1000..<2000])
                #expect(isRange)
            }
            #expect(racing.racesRun == 1)

            // A whole GET on a miss fills the disk cache: replaced before the fill reads.
            let third = Self.version(2)
            racing.beforeNextRead {
                _ = try await FileSeeder.replace(third, user: "alice", name: "doc.bin", parts: seed)
            }
            try await client.execute(uri: Self.uri, method: .get, headers: Self.alice) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"\(MD5Hasher.digest(third).hex)\"")
                let isVersion = Array(buffer: response.body) == third
                #expect(isVersion)
            }
            #expect(racing.racesRun == 2)

            // Deleted before the Range GET opens its bytes.
            try await FileSeeder.replace(Self.version(3), user: "alice", name: "doc.bin", parts: seed)
            racing.beforeNextRead { _ = try await FileSeeder.remove(user: "alice", name: "doc.bin", parts: seed) }
            try await client.execute(uri: Self.uri, method: .get, headers: Self.fields((.range, "bytes=0-9"))) {
                #expect($0.status == .notFound)
                #expect(String(buffer: $0.body).contains("FILE_NOT_FOUND"))
            }
            #expect(racing.racesRun == 3)
        }
    }

    @Test("an object missing under a live row is 500 OBJECT_NOT_FOUND before any status line, after one more lookup")
    func missingObjectIsAnErrorNotAShortBody() async throws {
        let seed = try await TestNode.parts(role: .download)
        let racing = RacingObjectStore(seed.backends.objectStore)
        let parts = try await TestNode.parts(
            role: .download, dataDirectory: seed.configuration.dataDirectory, objectStore: racing)
        let record = try await FileSeeder.seed(Self.version(0), user: "alice", name: "doc.bin", parts: seed)
        try await seed.backends.objectStore.deleteObject(key: record.objectKey)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            for headers in [Self.fields((.range, "bytes=0-9")), Self.alice] {
                let readsBefore = racing.reads
                try await client.execute(uri: Self.uri, method: .get, headers: headers) { response in
                    #expect(response.status == .internalServerError)
                    #expect(String(buffer: response.body).contains("OBJECT_NOT_FOUND"))
                }
                #expect(racing.reads - readsBefore == 1, "the second lookup named the same version: no second read")
            }
        }
    }
}
