import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NodeHTTP
import TestSupport
import Testing

@testable import DownloadNode

@Suite("download-node routes")
struct DownloadRouteTests {
    let bytes = MultipartBody.randomBytes(1_000_000, seed: 7)
    let alice: HTTPFields = [.authorization: TestNode.bearer("alice")]

    func headers(_ extra: [(HTTPField.Name, String)]) -> HTTPFields {
        var fields = alice
        for (name, value) in extra { fields[name] = value }
        return fields
    }

    @Test("GET returns the bytes with the representation headers; HEAD the same headers")
    func getAndHead() async throws {
        let parts = try await TestNode.parts(role: .download)
        let record = try await FileSeeder.seed(
            bytes, user: "alice", name: "résumé 2026.pdf", contentType: "application/pdf", parts: parts)
        let app = try makeDownloadApp(parts)
        let uri = "/upload_download_service/r%C3%A9sum%C3%A9%202026.pdf/alice"
        try await app.test(.live) { client in
            for method in [HTTPRequest.Method.get, .head] {
                try await client.execute(uri: uri, method: method, headers: alice) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentLength] == "1000000")
                    #expect(response.headers[.contentType] == "application/pdf")
                    #expect(response.headers[.eTag] == "\"\(record.md5.hex)\"")
                    #expect(response.headers[.acceptRanges] == "bytes")
                    #expect(response.headers[.cacheControl] == "private, no-cache")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.headers[.lastModified]?.hasSuffix("GMT") == true)
                    #expect(
                        response.headers[.contentDisposition]
                            == "attachment; filename=\"r_sum_ 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf")
                    if method == .get {
                        #expect(Array(buffer: response.body) == bytes)
                    } else {
                        #expect(response.body.readableBytes == 0)
                    }
                }
            }
        }
    }

    @Test(
        "Range requests",
        arguments: [
            ("bytes=0-99", 206, "bytes 0-99/1000000", 0..<100),
            ("bytes=999900-", 206, "bytes 999900-999999/1000000", 999_900..<1_000_000),
            ("bytes=-100", 206, "bytes 999900-999999/1000000", 999_900..<1_000_000),
            ("bytes=999999-5000000", 206, "bytes 999999-999999/1000000", 999_999..<1_000_000),
            ("bytes=1000000-", 416, "bytes */1000000", 0..<0),
            ("bytes=abc", 200, "", 0..<1_000_000),
            ("bytes=5-1", 200, "", 0..<1_000_000),
            ("bytes=99999999999999999999999-", 200, "", 0..<1_000_000),
            ("bytes=0-1,5-6", 200, "", 0..<1_000_000),
            ("items=0-1", 200, "", 0..<1_000_000),
        ])
    func ranges(_ range: String, _ status: Int, _ contentRange: String, _ expected: Range<Int>) async throws {
        let parts = try await TestNode.parts(role: .download)
        try await FileSeeder.seed(bytes, user: "alice", name: "data.bin", parts: parts)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            // twice: first from the object store (cold), then from the disk cache (warm)
            for _ in 0..<2 {
                try await client.execute(
                    uri: "/upload_download_service/data.bin/alice", method: .get, headers: headers([(.range, range)])
                ) { response in
                    #expect(Int(response.status.code) == status, "\(range)")
                    if !contentRange.isEmpty { #expect(response.headers[.contentRange] == contentRange) }
                    if status != 416 { #expect(Array(buffer: response.body) == Array(bytes[expected]), "\(range)") }
                }
            }
        }
    }

    @Test("a file named `users` downloads (GET, HEAD) and gets links, beside the listing under users/{uid}/files")
    func fileNamedUsers() async throws {
        let parts = try await TestNode.parts(role: .download)
        try await FileSeeder.seed(bytes, user: "alice", name: "users", parts: parts)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            try await client.execute(uri: "/upload_download_service/users/alice", method: .get, headers: alice) {
                #expect($0.status == .ok)
                #expect(Array(buffer: $0.body) == bytes)
            }
            try await client.execute(uri: "/upload_download_service/users/alice", method: .head, headers: alice) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentLength] == "1000000")
            }
            try await client.execute(uri: "/upload_download_service/users/bob", method: .get, headers: alice) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/upload_download_service/users/alice/link", method: .post, headers: alice) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body).contains("/upload_download_service/users/alice?"))
            }
            try await client.execute(uri: "/upload_download_service/users/alice/files", method: .get, headers: alice) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body).contains(#""name":"users""#))
            }
        }
    }

    @Test("1000 ranges in one header do not crash the node")
    func manyRanges() async throws {
        let parts = try await TestNode.parts(role: .download)
        try await FileSeeder.seed(bytes, user: "alice", name: "data.bin", parts: parts)
        let app = try makeDownloadApp(parts)
        let header = "bytes=" + (0..<1000).map { "\($0)-\($0)" }.joined(separator: ",")
        try await app.test(.live) { client in
            try await client.execute(
                uri: "/upload_download_service/data.bin/alice", method: .get, headers: headers([(.range, header)])
            ) {
                // Over 256 bytes the Range header is ignored (docs/api.md, "Limits"): the whole file.
                #expect($0.status == .ok)
                #expect(Array(buffer: $0.body) == bytes)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("conditional requests: If-None-Match and If-Modified-Since give 304; If-Range mismatch gives 200")
    func conditional() async throws {
        let parts = try await TestNode.parts(role: .download)
        let record = try await FileSeeder.seed(bytes, user: "alice", name: "data.bin", parts: parts)
        let app = try makeDownloadApp(parts)
        let etag = "\"\(record.md5.hex)\""
        // .live: the 200s write their body from a file, which the .router mode cannot ("Operation unsupported").
        try await app.test(.live) { client in
            let uri = "/upload_download_service/data.bin/alice"
            try await client.execute(uri: uri, method: .get, headers: headers([(.ifNoneMatch, etag)])) {
                #expect($0.status == .notModified)
                #expect($0.headers[.eTag] == etag)
            }
            try await client.execute(uri: uri, method: .get, headers: headers([(.ifNoneMatch, "\"other\"")])) {
                #expect($0.status == .ok)
            }
            let future = "Fri, 01 Jan 2100 00:00:00 GMT"
            try await client.execute(uri: uri, method: .get, headers: headers([(.ifModifiedSince, future)])) {
                #expect($0.status == .notModified)
            }
            try await client.execute(
                uri: uri, method: .get, headers: headers([(.range, "bytes=0-9"), (.ifRange, "\"stale\"")])
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: uri, method: .get, headers: headers([(.range, "bytes=0-9"), (.ifRange, etag)])
            ) { #expect($0.status == .partialContent) }
        }
    }

    @Test("other user's uid is 403 whether or not the file exists; unknown file 404; bad names 400; no token 403")
    func accessRules() async throws {
        let parts = try await TestNode.parts(role: .download)
        try await FileSeeder.seed(bytes, user: "bob", name: "secret.txt", parts: parts)
        let app = try makeDownloadApp(parts)
        try await app.test(.router) { client in
            try await client.execute(uri: "/upload_download_service/secret.txt/bob", method: .get, headers: alice) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/upload_download_service/nothing.txt/bob", method: .get, headers: alice) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/upload_download_service/nothing.txt/alice", method: .get, headers: alice) {
                #expect($0.status == .notFound)
                #expect(String(buffer: $0.body).contains("FILE_NOT_FOUND"))
            }
            for name in ["..", "a%2Fb", "a%00", "%01"] {
                try await client.execute(uri: "/upload_download_service/\(name)/alice", method: .get, headers: alice) {
                    #expect($0.status == .badRequest, "\(name)")
                }
            }
            try await client.execute(uri: "/upload_download_service/secret.txt/bob", method: .get) {
                #expect($0.status == .forbidden)
                #expect(String(buffer: $0.body).contains("client credentials invalid"))
            }
        }
    }

    @Test("listing: own files only, newest first, paginated with an opaque cursor, limit capped")
    func listing() async throws {
        let parts = try await TestNode.parts(role: .download)
        for index in 0..<25 {
            try await FileSeeder.seed([UInt8(index)], user: "alice", name: "f\(index).txt", parts: parts)
        }
        try await FileSeeder.seed([1], user: "bob", name: "bob.txt", parts: parts)
        let app = try makeDownloadApp(parts)
        try await app.test(.router) { client in
            var cursor: String?
            var names: [String] = []
            repeat {
                let query =
                    "limit=10"
                    + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                        ?? "")
                try await client.execute(
                    uri: "/upload_download_service/users/alice/files?\(query)", method: .get, headers: alice
                ) {
                    response in
                    #expect(response.status == .ok)
                    let page = try JSONDecoder().decode(ListingPage.self, from: Data(response.body.readableBytesView))
                    #expect(page.files.count <= 10)
                    names += page.files.map(\.name)
                    cursor = page.nextCursor
                }
            } while cursor != nil
            #expect(names.count == 25)
            #expect(names.first == "f24.txt")
            #expect(names.last == "f0.txt")
            #expect(!names.contains("bob.txt"))
            try await client.execute(uri: "/upload_download_service/users/bob/files", method: .get, headers: alice) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(
                uri: "/upload_download_service/users/alice/files?cursor=bogus", method: .get, headers: alice
            ) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test("100 concurrent cold requests for one file cause exactly one object-store GET")
    func singleFlight() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("sf")
        let seedParts = try await TestNode.parts(role: .download, dataDirectory: directory)
        try await FileSeeder.seed(bytes, user: "alice", name: "hot.bin", parts: seedParts)
        let counting = CountingObjectStore(seedParts.backends.objectStore)
        let parts = try await TestNode.parts(role: .download, dataDirectory: directory, objectStore: counting)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        try await client.execute(
                            uri: "/upload_download_service/hot.bin/alice", method: .get, headers: alice
                        ) {
                            $0.status == .ok && Array(buffer: $0.body) == bytes
                        }
                    }
                }
                var good = 0
                for try await ok in group where ok { good += 1 }
                #expect(good == 100)
            }
        }
        #expect(counting.getCount + counting.streamCount == 1, "one object-store read for 100 cold requests")
    }

    @Test("metadata database down: downloads and listings answer 503 with Retry-After")
    func metadataDown() async throws {
        var faulty: FaultyMetadataStore?
        let parts = try await TestNode.parts(
            role: .download,
            wrapMetadata: { base in
                let store = FaultyMetadataStore(base)
                faulty = store
                return store
            })
        try await FileSeeder.seed(bytes, user: "alice", name: "data.bin", parts: parts)
        let app = try makeDownloadApp(parts)
        faulty?.setDown(true)
        try await app.test(.live) { client in
            for uri in ["/upload_download_service/data.bin/alice", "/upload_download_service/users/alice/files"] {
                try await client.execute(uri: uri, method: .get, headers: alice) {
                    #expect($0.status == .serviceUnavailable, "\(uri)")
                    #expect($0.headers[.retryAfter] != nil)
                    #expect(String(buffer: $0.body).contains("METADATA_UNAVAILABLE"))
                }
            }
        }
    }

    @Test("object store down: cache hits still served, misses 503 with Retry-After")
    func storeDown() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("down")
        let seedParts = try await TestNode.parts(role: .download, dataDirectory: directory)
        try await FileSeeder.seed(bytes, user: "alice", name: "warm.bin", parts: seedParts)
        try await FileSeeder.seed(bytes, user: "alice", name: "cold.bin", parts: seedParts)
        let counting = CountingObjectStore(seedParts.backends.objectStore)
        let parts = try await TestNode.parts(role: .download, dataDirectory: directory, objectStore: counting)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            try await client.execute(uri: "/upload_download_service/warm.bin/alice", method: .get, headers: alice) {
                #expect($0.status == .ok)
            }
            counting.setDown(true)
            try await client.execute(uri: "/upload_download_service/warm.bin/alice", method: .get, headers: alice) {
                #expect($0.status == .ok)
                #expect(Array(buffer: $0.body) == bytes)
            }
            try await client.execute(uri: "/upload_download_service/cold.bin/alice", method: .get, headers: alice) {
                #expect($0.status == .serviceUnavailable)
                #expect($0.headers[.retryAfter] != nil)
            }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
    }
}
