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

/// Signed browser links (docs/decisions/0023): `POST …/<fname>/<uid>/link` issues them, `GET`/`HEAD`
/// with the link's query serve the bound version without a bearer token.
@Suite("download-node signed links")
struct DownloadLinkRouteTests {
    static let bytes = MultipartBody.randomBytes(200_000, seed: 23)
    static let alice: HTTPFields = [.authorization: TestNode.bearer("alice")]
    static let uri = "/upload_download_service/report%201.pdf/alice"
    static let secretHex = String(repeating: "5c", count: 32)

    /// The answer of a link request.
    struct Issued {
        let url: String
        let path: String
        let expiresAt: String
        let expiresIn: Int
        let fileID: String
        let md5: String
        let size: Int
    }

    /// Parts whose download-link keys are the file `keys` (first signs), written into the data dir.
    static func parts(
        keys: String? = "k1 \(secretHex)\n", configure: (inout NodeConfiguration) -> Void = { _ in }
    ) async throws -> NodeMain.Parts {
        let directory = IntegrationEnvironment.temporaryDirectory("links")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let keys {
            try Data(keys.utf8).write(to: URL(fileURLWithPath: directory + "/link-keys"))
        }
        return try await TestNode.parts(role: .download, dataDirectory: directory) { configuration in
            if keys != nil { configuration.download.linkKeysFile = directory + "/link-keys" }
            configure(&configuration)
        }
    }

    /// Issues a link and checks the answer's form.
    static func issue(
        _ client: some TestClientProtocol, _ uri: String = uri, query: String = "", headers: HTTPFields = alice
    ) async throws -> Issued {
        try await client.execute(uri: uri + "/link" + query, method: .post, headers: headers) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(Array(buffer: response.body))) as? [String: Any])
            #expect(Set(object.keys) == ["url", "path", "expires_at", "expires_in", "file_id", "md5", "size"])
            return Issued(
                url: try #require(object["url"] as? String), path: try #require(object["path"] as? String),
                expiresAt: try #require(object["expires_at"] as? String),
                expiresIn: try #require(object["expires_in"] as? Int),
                fileID: try #require(object["file_id"] as? String),
                md5: try #require(object["md5"] as? String), size: try #require(object["size"] as? Int))
        }
    }

    /// Expects `403 INVALID_CREDENTIALS` with the seed's message.
    static func expectRefused(
        _ client: some TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:],
        _ comment: Comment
    ) async throws {
        try await client.execute(uri: uri, method: method, headers: headers) { response in
            #expect(response.status == .forbidden, comment)
            if method == .get {
                #expect(
                    String(buffer: response.body)
                        == #"{"code":"INVALID_CREDENTIALS","error":"client credentials invalid"}"#,
                    comment)
            }
        }
    }

    /// A link for alice's `report 1.pdf` signed with the test key, for any version and expiry.
    static func forged(fileID: String, expires: Int64, keys: String = "k1 \(secretHex)\n") throws -> String {
        let signer = try DownloadLinkSigner(keys: try DownloadLinkKeyFile.parse(Array(keys.utf8)))
        let link = signer.sign(
            userID: try UserID(validating: "alice"), fileName: try FileName(validating: "report 1.pdf"),
            fileID: try #require(FileID(fileID)), expires: expires)
        return uri + "?" + link.query
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    @Test("a link downloads without a bearer token: bytes, ETag, Range, If-Range, HEAD, 304")
    func issueAndDownload() async throws {
        let parts = try await Self.parts()
        let record = try await FileSeeder.seed(
            Self.bytes, user: "alice", name: "report 1.pdf", contentType: "application/pdf", parts: parts)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            let before = Self.now
            let link = try await Self.issue(client)
            #expect(link.fileID == record.fileID.rawValue)
            #expect(link.md5 == record.md5.hex)
            #expect(link.size == Self.bytes.count)
            #expect(link.expiresIn == 3600)
            #expect(link.path.hasPrefix(Self.uri + "?fid=\(record.fileID.rawValue)&expires="))
            #expect(link.path.contains("&kid=k1&sig="))
            #expect(link.url.hasPrefix("http://") && link.url.hasSuffix(link.path) && link.url != link.path)
            let expires = try #require(Int64(link.path.split(separator: "&")[1].dropFirst("expires=".count)))
            #expect(expires >= before + 3600 && expires <= Self.now + 3600)
            #expect(link.expiresAt == ISO8601Timestamp.string(from: Date(timeIntervalSince1970: TimeInterval(expires))))
            #expect(link.expiresAt.hasSuffix(".000Z"))

            let etag = "\"\(record.md5.hex)\""
            try await client.execute(uri: link.path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == etag)
                #expect(response.headers[.contentType] == "application/pdf")
                #expect(response.headers[.acceptRanges] == "bytes")
                #expect(
                    response.headers[.contentDisposition]
                        == "attachment; filename=\"report 1.pdf\"; filename*=UTF-8''report%201.pdf")
                let isFile = Array(buffer: response.body) == Self.bytes
                #expect(isFile)
            }
            try await client.execute(uri: link.path, method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == String(Self.bytes.count))
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(
                uri: link.path, method: .get, headers: [.range: "bytes=1000-1999", .ifRange: etag]
            ) { response in
                #expect(response.status == .partialContent)
                #expect(response.headers[.contentRange] == "bytes 1000-1999/\(Self.bytes.count)")
                let isRange = Array(buffer: response.body) == Array(Self.bytes[1000..<2000])
                #expect(isRange)
            }
            try await client.execute(
                uri: link.path, method: .get, headers: [.range: "bytes=1000-1999", .ifRange: "\"stale\""]
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: link.path, method: .get, headers: [.ifNoneMatch: etag]) {
                #expect($0.status == .notModified)
            }
            try await client.execute(uri: link.path, method: .get, headers: [.range: "bytes=999999999-"]) {
                #expect($0.status == .rangeNotSatisfiable)
            }
            // The Authorization header is not looked at: a wrong token does not spoil a good link…
            try await client.execute(uri: link.path, method: .get, headers: [.authorization: "Bearer nonsense"]) {
                #expect($0.status == .ok)
            }
            // …and a good token does not rescue a bad one.
            let tampered = link.path.replacingOccurrences(of: "&kid=k1&", with: "&kid=k2&")
            try await Self.expectRefused(client, tampered, headers: Self.alice, "bad link with a valid bearer")
        }
    }

    @Test("expired, tampered, partial, repeated or re-targeted links are 403 INVALID_CREDENTIALS")
    func refusedLinks() async throws {
        let parts = try await Self.parts()
        let record = try await FileSeeder.seed(Self.bytes, user: "alice", name: "report 1.pdf", parts: parts)
        try await FileSeeder.seed(Self.bytes, user: "bob", name: "report 1.pdf", parts: parts)
        let app = try makeDownloadApp(parts)
        let fid = record.fileID.rawValue
        // .live: one valid link downloads its bytes from a file, which the .router mode cannot.
        try await app.test(.live) { client in
            // The same forger, the same version: only the expiry differs.
            try await client.execute(uri: try Self.forged(fileID: fid, expires: Self.now + 120), method: .get) {
                #expect($0.status == .ok)
            }
            try await Self.expectRefused(client, try Self.forged(fileID: fid, expires: Self.now - 1), "expired")
            try await Self.expectRefused(
                client, try Self.forged(fileID: fid, expires: Self.now + 2 * 86_400), "beyond linkMaxExpirySeconds")
            try await Self.expectRefused(
                client, try Self.forged(fileID: fid, expires: Self.now + 60, keys: "k9 \(Self.secretHex)\n"),
                "unknown kid")
            try await Self.expectRefused(
                client,
                try Self.forged(
                    fileID: fid, expires: Self.now + 60, keys: "k1 \(String(repeating: "5d", count: 32))\n"),
                "wrong secret")

            let link = try await Self.issue(client)
            let query = String(link.path.split(separator: "?")[1])
            let fields = query.split(separator: "&").map(String.init)
            let sig = fields[3]
            let flipped = sig.last == "A" ? String(sig.dropLast()) + "Q" : String(sig.dropLast()) + "A"
            let expires = fields[1]
            let later = "expires=" + String(Int64(expires.dropFirst("expires=".count))! + 1)
            let variants: [(String, String)] = [
                (
                    Self.uri + "?" + [fields[0], fields[1], fields[2], flipped].joined(separator: "&"),
                    "signature changed"
                ),
                (Self.uri + "?" + [fields[0], later, fields[2], sig].joined(separator: "&"), "expiry changed"),
                (Self.uri + "?" + [fields[0], fields[1], fields[2]].joined(separator: "&"), "no sig"),
                (Self.uri + "?" + [fields[0], fields[2], sig].joined(separator: "&"), "no expires"),
                (Self.uri + "?" + sig, "sig alone"),
                (Self.uri + "?" + fields[0], "fid alone"),
                (Self.uri + "?" + query + "&" + sig, "sig twice"),
                (Self.uri + "?" + query.replacingOccurrences(of: "fid=", with: "fid=x"), "malformed fid"),
                (Self.uri + "?" + query.replacingOccurrences(of: "expires=", with: "expires=-"), "negative expiry"),
                (Self.uri + "?" + query.replacingOccurrences(of: "sig=", with: "sig=%"), "bad escape in sig"),
                ("/upload_download_service/report%201.pdf/bob?" + query, "another user's path"),
                ("/upload_download_service/report%202.pdf/alice?" + query, "another name"),
                ("/upload_download_service/Report%201.pdf/alice?" + query, "a name differing in one byte"),
                ("/upload_download_service/%2E%2E/alice?" + query, "an invalid name"),
            ]
            for (uri, comment) in variants {
                try await Self.expectRefused(client, uri, Comment(rawValue: comment))
                try await Self.expectRefused(client, uri, method: .head, Comment(rawValue: comment))
            }
        }
    }

    @Test("a link is bound to its version: replaced → 404, the new link works; deleted → 404")
    func boundToVersion() async throws {
        let parts = try await Self.parts()
        try await FileSeeder.seed(Self.bytes, user: "alice", name: "report 1.pdf", parts: parts)
        let app = try makeDownloadApp(parts)
        let second = MultipartBody.randomBytes(150_000, seed: 24)
        try await app.test(.live) { client in
            let old = try await Self.issue(client)
            try await client.execute(uri: old.path, method: .get) { #expect($0.status == .ok) }
            let replaced = try await FileSeeder.replace(second, user: "alice", name: "report 1.pdf", parts: parts)
            for method in [HTTPRequest.Method.get, .head] {
                try await client.execute(uri: old.path, method: method) { response in
                    #expect(response.status == .notFound)
                    if method == .get { #expect(String(buffer: response.body).contains("FILE_NOT_FOUND")) }
                }
            }
            let new = try await Self.issue(client)
            #expect(new.fileID == replaced.record.fileID.rawValue && new.fileID != old.fileID)
            try await client.execute(uri: new.path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"\(replaced.record.md5.hex)\"")
                let isNew = Array(buffer: response.body) == second
                #expect(isNew)
            }
            try await FileSeeder.remove(user: "alice", name: "report 1.pdf", parts: parts)
            try await client.execute(uri: new.path, method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test("issuing: owner only, file must exist, expires_in 1…max, names validated; GET/HEAD on …/link are 404")
    func issuingRules() async throws {
        let parts = try await Self.parts { $0.download.linkMaxExpirySeconds = 7200 }
        try await FileSeeder.seed(Self.bytes, user: "alice", name: "report 1.pdf", parts: parts)
        try await FileSeeder.seed(Self.bytes, user: "bob", name: "secret.txt", parts: parts)
        let app = try makeDownloadApp(parts)
        try await app.test(.router) { client in
            #expect(try await Self.issue(client, query: "?expires_in=7200").expiresIn == 7200)
            #expect(try await Self.issue(client, query: "?expires_in=1").expiresIn == 1)
            #expect(try await Self.issue(client).expiresIn == 3600)
            for value in ["0", "7201", "-1", "abc", "", "1.5", "+5", "99999999999999999999", "1&expires_in=2"] {
                try await client.execute(
                    uri: Self.uri + "/link?expires_in=\(value)", method: .post, headers: Self.alice
                ) {
                    response in
                    #expect(response.status == .badRequest, "\(value)")
                    #expect(
                        String(buffer: response.body)
                            == #"{"code":"BAD_REQUEST","error":"expires_in must be a whole number of seconds from 1 to 7200"}"#
                    )
                }
            }
            for uri in ["/upload_download_service/secret.txt/bob/link", "/upload_download_service/nothing/bob/link"] {
                try await client.execute(uri: uri, method: .post, headers: Self.alice) { response in
                    #expect(response.status == .forbidden)
                    #expect(String(buffer: response.body).contains("FORBIDDEN"))
                }
            }
            try await Self.expectRefused(client, Self.uri + "/link", method: .post, "no bearer")
            try await client.execute(
                uri: "/upload_download_service/nothing/alice/link", method: .post, headers: Self.alice
            ) {
                #expect($0.status == .notFound)
                #expect(String(buffer: $0.body).contains("FILE_NOT_FOUND"))
            }
            try await client.execute(
                uri: "/upload_download_service/%2E%2E/alice/link", method: .post, headers: Self.alice
            ) {
                #expect($0.status == .badRequest)
                #expect(String(buffer: $0.body).contains("INVALID_FILE_NAME"))
            }
            for method in [HTTPRequest.Method.get, .head, .put, .delete] {
                try await client.execute(uri: Self.uri + "/link", method: method, headers: Self.alice) { response in
                    #expect(response.status == .notFound, "\(method)")
                }
            }
        }
    }

    @Test("link downloads spend the owner's request bucket: a leaked link cannot outrun the owner's rate")
    func ownerRate() async throws {
        let parts = try await Self.parts {
            $0.userRequestBurst = 3
            $0.userRequestsPerSecond = 0.001
        }
        try await FileSeeder.seed(Self.bytes, user: "alice", name: "report 1.pdf", parts: parts)
        try await makeDownloadApp(parts).test(.live) { client in
            let link = try await Self.issue(client)  // token 1
            try await client.execute(uri: link.path, method: .head) { #expect($0.status == .ok) }  // token 2
            try await client.execute(uri: link.path, method: .head) { #expect($0.status == .ok) }  // token 3
            try await client.execute(uri: link.path, method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(String(buffer: response.body).contains("RATE_LIMITED"))
            }
            // bob's bucket is his own
            try await client.execute(
                uri: "/upload_download_service/x/bob", method: .get, headers: [.authorization: TestNode.bearer("bob")]
            ) { #expect($0.status == .notFound) }
        }
    }

    @Test("link URLs: linkBaseUrl when set, else X-Forwarded-Proto and Host; user ids and names percent-encoded")
    func urls() async throws {
        let configured = try await Self.parts { $0.download.linkBaseURL = "https://download.example.com/" }
        try await FileSeeder.seed(
            Self.bytes, user: "..", name: "é/x?#&.txt".replacingOccurrences(of: "/", with: "_"), parts: configured)
        let app = try makeDownloadApp(configured)
        try await app.test(.live) { client in
            let bearer: HTTPFields = [.authorization: TestNode.bearer("..")]
            let link = try await Self.issue(
                client, "/upload_download_service/%C3%A9_x%3F%23%26.txt/%2E%2E", headers: bearer)
            #expect(link.path.hasPrefix("/upload_download_service/%C3%A9_x%3F%23%26.txt/%2E%2E?fid="))
            #expect(link.url == "https://download.example.com" + link.path)
            try await client.execute(uri: link.path, method: .get) { #expect($0.status == .ok) }
        }
        let derived = try await Self.parts()
        try await FileSeeder.seed(Self.bytes, user: "alice", name: "report 1.pdf", parts: derived)
        try await makeDownloadApp(derived).test(.live) { client in
            var headers = Self.alice
            headers[.xForwardedProto] = "https"
            let forwarded = try await Self.issue(client, headers: headers)
            #expect(forwarded.url == "https://localhost" + forwarded.path)
            headers[.xForwardedProto] = "gopher"
            let direct = try await Self.issue(client, headers: headers)
            #expect(direct.url == "http://localhost" + direct.path)
        }
    }

    @Test("without configuration a key is generated once in <dataDir>/link-secret (0600) and reused after a restart")
    func generatedKeyPersists() async throws {
        let parts = try await Self.parts(keys: nil)
        try await FileSeeder.seed(Self.bytes, user: "alice", name: "report 1.pdf", parts: parts)
        let path = try await makeDownloadApp(parts).test(.live) { client in try await Self.issue(client).path }
        #expect(path.contains("&kid=local-"))
        let secretFile = parts.configuration.dataDirectory + "/link-secret"
        let attributes = try FileManager.default.attributesOfItem(atPath: secretFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let secret = try String(contentsOfFile: secretFile, encoding: .utf8)
        // a second node on the same data directory (a restart): same key, the link still works
        try await makeDownloadApp(parts).test(.live) { client in
            try await client.execute(uri: path, method: .get) { #expect($0.status == .ok) }
        }
        #expect(try String(contentsOfFile: secretFile, encoding: .utf8) == secret)
        // a node with another data directory has another key: the link is refused there
        let other = try await Self.parts(keys: nil)
        try await FileSeeder.seed(Self.bytes, user: "alice", name: "report 1.pdf", parts: other)
        try await makeDownloadApp(other).test(.live) { client in
            try await Self.expectRefused(client, path, "another node's generated key")
        }
    }

    @Test("rotation across nodes: a node with [new, old] verifies links of a node with [old] and signs with new")
    func rotationAcrossNodes() async throws {
        let oldNode = try await Self.parts()
        try await FileSeeder.seed(Self.bytes, user: "alice", name: "report 1.pdf", parts: oldNode)
        let oldPath = try await makeDownloadApp(oldNode).test(.live) { client in try await Self.issue(client).path }
        let directory = oldNode.configuration.dataDirectory
        let rotatedKeys = "k2 \(String(repeating: "7e", count: 32))\nk1 \(Self.secretHex)\n"
        try Data(rotatedKeys.utf8).write(to: URL(fileURLWithPath: directory + "/link-keys-rotated"))
        let rotated = try await TestNode.parts(role: .download, dataDirectory: directory) {
            $0.download.linkKeysFile = directory + "/link-keys-rotated"
        }
        try await makeDownloadApp(rotated).test(.live) { client in
            try await client.execute(uri: oldPath, method: .get) { #expect($0.status == .ok) }
            let newLink = try await Self.issue(client)
            #expect(newLink.path.contains("&kid=k2&"))
            try await client.execute(uri: newLink.path, method: .get) { #expect($0.status == .ok) }
        }
        // the old node, which does not know k2 yet, refuses the new key's links
        let newPath = try await makeDownloadApp(rotated).test(.live) { client in try await Self.issue(client).path }
        try await makeDownloadApp(oldNode).test(.live) { client in
            try await Self.expectRefused(client, newPath, "a key the node does not have")
        }
    }

    @Test("unusable link configuration stops the node naming the key")
    func badConfiguration() async throws {
        for (keys, expected) in [("k1 abcd\n", "line 1"), ("", "no key"), ("k 1 \(Self.secretHex)\n", "line 1")] {
            let parts = try await Self.parts(keys: keys)
            let error = #expect(throws: ConfigurationError.self) { _ = try makeDownloadApp(parts) }
            #expect(error?.key == "linkKeysFile")
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(Self.secretHex) == false)
        }
        let missing = try await Self.parts { $0.download.linkKeysFile = "/nonexistent/link-keys" }
        #expect(throws: ConfigurationError.self) { _ = try makeDownloadApp(missing) }
        for url in [
            "ftp://x", "https://x/path", "https://user@x", "download.example.com", "https://x:99999", "https://",
        ] {
            let parts = try await Self.parts { $0.download.linkBaseURL = url }
            let error = #expect(throws: ConfigurationError.self, Comment(rawValue: url)) {
                _ = try makeDownloadApp(parts)
            }
            #expect(error?.key == "linkBaseUrl", Comment(rawValue: url))
        }
    }
}
