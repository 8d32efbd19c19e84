import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NodeHTTP
import TestSupport
import Testing

@testable import UploadNode

/// The IETF resumable-upload draft (interop 3, 5, 6) on embedded backends, following the draft's
/// examples: creation with `104`, interruption, offset retrieval, append, completion,
/// cancellation, the refusals, and a resume on a second node sharing the stores.
@Suite("IETF resumable upload draft routes", .serialized)
struct ResumableDraftRouteTests {
    typealias Version = ResumableDraftProtocol.InteropVersion
    static let interop = HTTPField.Name("Upload-Draft-Interop-Version")!
    static let uploadComplete = HTTPField.Name("Upload-Complete")!
    static let uploadIncomplete = HTTPField.Name("Upload-Incomplete")!
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    static let uploadLength = HTTPField.Name("Upload-Length")!

    /// 12 MiB + 123: more than two parts of 5 MiB (shared by the suite's tests).
    static let sharedFile = MultipartBody.randomBytes(12 * 1024 * 1024 + 123, seed: 11)
    var file: [UInt8] { Self.sharedFile }

    /// The header that says "complete" in `version`, as sent on the wire.
    static func completeField(_ complete: Bool, _ version: Version) -> (HTTPField.Name, String) {
        version == .v3 ? (uploadIncomplete, complete ? "?0" : "?1") : (uploadComplete, complete ? "?1" : "?0")
    }

    /// Whether `fields` say complete (`true`), incomplete (`false`) in `version`'s header; `nil` when absent.
    static func saysComplete(_ fields: HTTPFields, _ version: Version) -> Bool? {
        let (name, _) = completeField(true, version)
        guard let value = fields[name] else { return nil }
        return version == .v3 ? value == "?0" : value == "?1"
    }

    static func creation(
        _ version: Version, user: String = "alice", complete: Bool, md5: ContentDigest, length: Int? = nil
    ) -> HTTPFields {
        var fields: HTTPFields = [
            .authorization: TestNode.bearer(user), .contentMD5: md5.base64, interop: String(version.rawValue),
        ]
        let (name, value) = completeField(complete, version)
        fields[name] = value
        if let length { fields[uploadLength] = String(length) }
        return fields
    }

    static func append(_ version: Version, user: String = "alice", offset: Int, complete: Bool) -> HTTPFields {
        var fields: HTTPFields = [
            .authorization: TestNode.bearer(user), interop: String(version.rawValue), uploadOffset: String(offset),
        ]
        let (name, value) = completeField(complete, version)
        fields[name] = value
        if version >= .v6 { fields[.contentType] = "application/partial-upload" }
        return fields
    }

    static func plain(_ version: Version, user: String = "alice") -> HTTPFields {
        [.authorization: TestNode.bearer(user), interop: String(version.rawValue)]
    }

    /// `HEAD` on the upload: the status and the offset (with the draft's headers checked on a 204).
    static func offset(
        _ client: some TestClientProtocol, _ location: String, _ version: Version, user: String = "alice"
    ) async throws -> (HTTPResponse.Status, Int?) {
        try await client.execute(uri: location, method: .head, headers: plain(version, user: user)) { response in
            #expect(response.headers[interop] == String(version.rawValue))
            if response.status == .noContent {
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(saysComplete(response.headers, version) == false)
            }
            return (response.status, response.headers[uploadOffset].flatMap(Int.init))
        }
    }

    /// Creates an upload of `length` bytes sending `body` as its first, incomplete part; returns its URL.
    static func createIncomplete(
        _ client: some TestClientProtocol, _ version: Version, name: String = "draft.bin", md5: ContentDigest,
        length: Int, body: ArraySlice<UInt8>
    ) async throws -> String {
        try await client.execute(
            uri: "/upload_download_service/\(name)/alice", method: .put,
            headers: creation(version, complete: false, md5: md5, length: length), body: ByteBuffer(bytes: body)
        ) { response in
            #expect(response.status == .created, "\(String(buffer: response.body))")
            #expect(response.headers[uploadOffset] == String(body.count))
            #expect(saysComplete(response.headers, version) == false)
            return try #require(response.headers[.location])
        }
    }

    static func storedBytes(_ parts: NodeMain.Parts, name: String = "draft.bin") async throws -> [UInt8]? {
        try await TusRouteTests.storedBytes(parts, name: name)
    }

    /// The size of the largest spool file (`*.part`) in `directory`.
    static func largestSpoolFile(in directory: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".part") }.compactMap { name in
            ((try? FileManager.default.attributesOfItem(atPath: directory + "/" + name))?[.size] as? NSNumber)?.intValue
        }.max() ?? 0
    }

    /// The raw `PUT` head of a creation request (sent over a socket, to read the `104`).
    static func rawCreation(_ version: Version, name: String, md5: ContentDigest, contentLength: Int) -> String {
        let (field, value) = completeField(true, version)
        return "PUT /upload_download_service/\(name)/alice HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: \(TestNode.bearer("alice"))\r\nContent-MD5: \(md5.base64)\r\n"
            + "Content-Length: \(contentLength)\r\nUpload-Draft-Interop-Version: \(version.rawValue)\r\n"
            + "\(field.canonicalName): \(value)\r\nConnection: close\r\n\r\n"
    }

    @Test(
        "creation with 104 over a socket: the 104 names the upload's URL, the final 200 the file",
        arguments: Version.allCases)
    func creationWith104(version: Version) async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let small = Array(file.prefix(300_000))
        try await app.test(.live) { client in
            let connection = try #require(RawHTTPConnection.open(port: client.port!, timeout: 20))
            await connection.send(
                Self.rawCreation(version, name: "draft.bin", md5: MD5Hasher.digest(small), contentLength: small.count))
            await connection.send(bytes: small)
            let exchange = await connection.finish()
            #expect(exchange.responses.count == 2, "\(exchange.responses.map(\.status))")
            let informational = try #require(exchange.responses.first)
            #expect(informational.status == 104)
            #expect(informational.header("Upload-Draft-Interop-Version") == String(version.rawValue))
            let location = try #require(informational.header("Location"))
            #expect(location.hasPrefix("/upload_download_service/resumable/alice/"))
            let final = try #require(exchange.responses.last)
            #expect(final.status == 200, "\(final.text)")
            #expect(final.header("Location") == location)
            #expect(final.header("Upload-Offset") == String(small.count))
            if version == .v3 {
                #expect(final.header("Upload-Incomplete") == "?0")
            } else {
                #expect(final.header("Upload-Complete") == "?1")
            }
            #expect(final.text.contains("\"md5\":\"\(MD5Hasher.digest(small).hex)\""))
            #expect(try await Self.offset(client, location, version).0 == .notFound)  // finished: the state is gone
        }
        #expect(try await Self.storedBytes(parts) == small)
    }

    @Test(
        "interruption after the 104, offset retrieval, an incomplete append, the completing append",
        arguments: Version.allCases)
    func interruptionAndResume(version: Version) async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let file = self.file
        let md5 = MD5Hasher.digest(file)
        let sent = 6 * 1024 * 1024 + 1000  // one whole part and a tail
        try await app.test(.live) { client in
            let connection = try #require(RawHTTPConnection.open(port: client.port!, timeout: 20))
            await connection.send(Self.rawCreation(version, name: "draft.bin", md5: md5, contentLength: file.count))
            await connection.send(bytes: Array(file[0..<sent]))
            let informational = await connection.read(until: "\r\n\r\n")
            #expect(informational.hasPrefix("HTTP/1.1 104"), "\(informational)")
            let locationLine = try #require(
                informational.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("location:") })
            let location = locationLine.dropFirst("location:".count).trimmingCharacters(in: .whitespaces)
            // Go away once the node has read every byte sent (a FIN with more bytes unread would
            // have the node drop them, decisions/0016: the offset would then depend on timing).
            let spool = parts.configuration.dataDirectory + "/spool"
            #expect(await eventually { Self.largestSpoolFile(in: spool) == sent }, "the node read the bytes sent")
            connection.shutdownNow()  // the client goes away mid-body

            // The node keeps what arrived once it sees the connection end.
            let stored = try await eventually { try await Self.offset(client, location, version) == (.noContent, sent) }
            #expect(stored, "HEAD answers the bytes that arrived")
            let chunkEnd = sent + 3 * 1024 * 1024
            try await client.execute(
                uri: location, method: .patch, headers: Self.append(version, offset: sent, complete: false),
                body: ByteBuffer(bytes: file[sent..<chunkEnd])
            ) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                #expect(response.headers[Self.uploadOffset] == String(chunkEnd))
                #expect(Self.saysComplete(response.headers, version) == false)
            }
            #expect(try await Self.offset(client, location, version) == (.noContent, chunkEnd))
            try await client.execute(
                uri: location, method: .patch, headers: Self.append(version, offset: chunkEnd, complete: true),
                body: ByteBuffer(bytes: file[chunkEnd...])
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(response.headers[Self.uploadOffset] == String(file.count))
                #expect(Self.saysComplete(response.headers, version) == true)
                #expect(String(buffer: response.body).contains("\"md5\":\"\(md5.hex)\""))
            }
            #expect(try await Self.offset(client, location, version).0 == .notFound)
        }
        #expect(try await Self.storedBytes(parts) == file)
        let objects = parts.configuration.dataDirectory + "/objects"
        let left = FileManager.default.enumerator(atPath: objects)?.compactMap { $0 as? String } ?? []
        #expect(!left.contains { $0.contains(".tail.") || $0.hasPrefix(".parts/") }, "\(left)")
    }

    @Test("a PUT with an interop version but no Upload-Complete is a plain upload")
    func plainPut() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let small = Array(file.prefix(1000))
        try await app.test(.router) { client in
            var fields = Self.plain(.v6)
            fields[.contentMD5] = MD5Hasher.digest(small).base64
            try await client.execute(
                uri: "/upload_download_service/draft.bin/alice", method: .put, headers: fields,
                body: ByteBuffer(bytes: small)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.location] == nil)
                #expect(response.headers[Self.interop] == nil)
            }
        }
        #expect(try await Self.storedBytes(parts) == small)
    }

    @Test("cancellation removes the upload's parts, tail and state", arguments: Version.allCases)
    func cancellation(version: Version) async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let file = self.file
        try await app.test(.router) { client in
            let location = try await Self.createIncomplete(
                client, version, md5: MD5Hasher.digest(file), length: file.count, body: file[0..<(6 * 1024 * 1024)])
            try await client.execute(uri: location, method: .delete, headers: Self.plain(version, user: "mallory")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: location, method: .delete, headers: Self.plain(version)) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[Self.interop] == String(version.rawValue))
            }
            #expect(try await Self.offset(client, location, version).0 == .notFound)
        }
        let objects = parts.configuration.dataDirectory + "/objects"
        let pending = pendingParts(parts)
        #expect(pending.isEmpty, "\(pending)")
        let left = FileManager.default.enumerator(atPath: objects)?.compactMap { $0 as? String } ?? []
        #expect(!left.contains { $0.contains(".tail.") }, "\(left)")
        #expect(try await Self.storedBytes(parts) == nil)
    }

    @Test(
        "refusals: 409 wrong offset (with the current offset), 409 length, 403 other user, 400s, nothing stored",
        arguments: Version.allCases)
    func refusals(version: Version) async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let file = self.file
        let md5 = MD5Hasher.digest(file)
        let chunk = ByteBuffer(bytes: file[1000..<2000])
        try await app.test(.router) { client in
            let location = try await Self.createIncomplete(
                client, version, md5: md5, length: file.count, body: file[0..<1000])
            try await client.execute(
                uri: location, method: .patch, headers: Self.append(version, offset: 10, complete: false), body: chunk
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("UPLOAD_OFFSET_MISMATCH"))
                #expect(response.headers[Self.uploadOffset] == "1000")
                #expect(Self.saysComplete(response.headers, version) == false)
                #expect(response.headers[Self.interop] == String(version.rawValue))
            }
            // Says complete, but the body cannot end where the upload ends.
            try await client.execute(
                uri: location, method: .patch, headers: Self.append(version, offset: 1000, complete: true), body: chunk
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("UPLOAD_LENGTH_MISMATCH"))
                #expect(response.headers[Self.uploadOffset] == "1000")
            }
            var otherLength = Self.append(version, offset: 1000, complete: false)
            otherLength[Self.uploadLength] = String(file.count + 1)
            try await client.execute(uri: location, method: .patch, headers: otherLength, body: chunk) {
                #expect($0.status == .conflict)
                #expect(String(buffer: $0.body).contains("UPLOAD_LENGTH_MISMATCH"))
            }
            try await client.execute(
                uri: location, method: .patch,
                headers: Self.append(version, user: "mallory", offset: 1000, complete: false),
                body: chunk
            ) { #expect($0.status == .forbidden) }
            #expect(try await Self.offset(client, location, version, user: "mallory").0 == .forbidden)
            var noOffset = Self.append(version, offset: 1000, complete: false)
            noOffset[Self.uploadOffset] = nil
            try await client.execute(uri: location, method: .patch, headers: noOffset, body: chunk) {
                #expect($0.status == .badRequest)
            }
            if version == .v6 {
                var untyped = Self.append(version, offset: 1000, complete: false)
                untyped[.contentType] = "application/octet-stream"
                try await client.execute(uri: location, method: .patch, headers: untyped, body: chunk) {
                    #expect($0.status == .badRequest)
                    #expect(String(buffer: $0.body).contains("application/partial-upload"))
                }
            }
            var headWithOffset = Self.plain(version)
            headWithOffset[Self.uploadOffset] = "0"
            try await client.execute(uri: location, method: .head, headers: headWithOffset) {
                #expect($0.status == .badRequest)
            }
            #expect(try await Self.offset(client, location, version) == (.noContent, 1000), "nothing refused was kept")

            // Creation refusals.
            let small = Array(file.prefix(10))
            try await client.execute(
                uri: "/upload_download_service/draft.bin/bob", method: .put,
                headers: Self.creation(version, complete: true, md5: MD5Hasher.digest(small)),
                body: ByteBuffer(bytes: small)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/upload_download_service/%2E%2E/alice", method: .put,
                headers: Self.creation(version, complete: true, md5: MD5Hasher.digest(small)),
                body: ByteBuffer(bytes: small)
            ) {
                #expect($0.status == .badRequest)
                #expect(String(buffer: $0.body).contains("INVALID_FILE_NAME"))
            }
            var noMD5 = Self.creation(version, complete: true, md5: MD5Hasher.digest(small))
            noMD5[.contentMD5] = nil
            try await client.execute(
                uri: "/upload_download_service/other.bin/alice", method: .put, headers: noMD5,
                body: ByteBuffer(bytes: small)
            ) {
                #expect($0.status == .badRequest)
                #expect(String(buffer: $0.body).contains("MISSING_CHECKSUM"))
            }
            try await client.execute(
                uri: "/upload_download_service/other.bin/alice", method: .put,
                headers: Self.creation(version, complete: false, md5: MD5Hasher.digest(small)),
                body: ByteBuffer(bytes: small)
            ) { response in
                #expect(response.status == .badRequest, "an incomplete creation without Upload-Length has no length")
                #expect(String(buffer: response.body).contains("needs its length"))
                #expect(response.headers[Self.interop] == String(version.rawValue))
            }
            var badVersion = Self.creation(version, complete: true, md5: MD5Hasher.digest(small))
            badVersion[Self.interop] = "4"
            try await client.execute(
                uri: "/upload_download_service/other.bin/alice", method: .put, headers: badVersion,
                body: ByteBuffer(bytes: small)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[Self.interop] == "6")
            }
        }
        #expect(try await Self.storedBytes(parts) == nil)
        #expect(try await Self.storedBytes(parts, name: "other.bin") == nil)
    }

    @Test("413: a file over maxUploadBytes is refused at creation (Content-Length or Upload-Length), nothing created")
    func tooLarge() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.maxUploadBytes = 1_000_000 }
        let app = try await makeUploadApp(parts)
        let big = Array(file.prefix(1_000_001))
        let md5 = MD5Hasher.digest(big)
        try await app.test(.router) { client in
            for version in Version.allCases {
                try await client.execute(
                    uri: "/upload_download_service/big.bin/alice", method: .put,
                    headers: Self.creation(version, complete: true, md5: md5), body: ByteBuffer(bytes: big)
                ) { response in
                    #expect(response.status == .contentTooLarge)
                    #expect(String(buffer: response.body).contains("PAYLOAD_TOO_LARGE"))
                    #expect(response.headers[.location] == nil)
                }
                try await client.execute(
                    uri: "/upload_download_service/big.bin/alice", method: .put,
                    headers: Self.creation(version, complete: false, md5: md5, length: 5_000_000),
                    body: ByteBuffer(bytes: big.prefix(1000))
                ) { #expect($0.status == .contentTooLarge) }
            }
        }
        let uploads = try #require(parts.backends.metadata as? any ResumableUploadStore)
        #expect(try await uploads.expiredUploads(before: Date().addingTimeInterval(10 * 86400), limit: 10).isEmpty)
        #expect(try await Self.storedBytes(parts, name: "big.bin") == nil)
    }

    @Test(
        "a whole-file MD5 mismatch answers 409 with the seed's message and leaves nothing", arguments: Version.allCases)
    func wrongMD5(version: Version) async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let file = self.file
        var damaged = file
        damaged[7_000_000] ^= 0xFF
        let corrupted = damaged
        let split = 5 * 1024 * 1024
        try await app.test(.router) { client in
            let location = try await Self.createIncomplete(
                client, version, md5: MD5Hasher.digest(file), length: file.count, body: corrupted[0..<split])
            try await client.execute(
                uri: location, method: .patch, headers: Self.append(version, offset: split, complete: true),
                body: ByteBuffer(bytes: corrupted[split...])
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("checksum failed - please attempt reuploading"))
            }
            #expect(try await Self.offset(client, location, version).0 == .notFound)
        }
        #expect(try await Self.storedBytes(parts) == nil)
        #expect(pendingParts(parts).isEmpty)
    }

    @Test(
        "two nodes over one metadata file and one object directory: created on one, resumed and completed on the other")
    func twoNodes() async throws {
        let (first, second, nodeA, nodeB) = try await twoUploadNodes()
        let file = self.file
        let sent = 5 * 1024 * 1024 + 4321
        let location = try await nodeA.test(.router) { client in
            try await Self.createIncomplete(
                client, .v6, md5: MD5Hasher.digest(file), length: file.count, body: file[0..<sent])
        }
        try await nodeB.test(.router) { client in
            #expect(try await Self.offset(client, location, .v6) == (.noContent, sent))
            try await client.execute(
                uri: location, method: .patch, headers: Self.append(.v6, offset: sent, complete: true),
                body: ByteBuffer(bytes: file[sent...])
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(response.headers[Self.uploadComplete] == "?1")
            }
        }
        #expect(try await Self.storedBytes(first) == file)
        #expect(try await Self.storedBytes(second) == file)
    }
}
