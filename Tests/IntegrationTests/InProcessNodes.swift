import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NodeHTTP
import TestSupport

@testable import DownloadNode
@testable import UploadNode

/// An upload node and a download node in this process, over one data directory (filesystem
/// objects, one SQLite file): the route-level view of what one user's upload lets another read.
enum InProcessNodes {
    /// Runs `body` with a live client of each node, over `directory` (a fresh one by default).
    static func run(
        directory: String = IntegrationEnvironment.temporaryDirectory("inproc"),
        configure: @escaping (inout NodeConfiguration) -> Void = { _ in },
        _ body: @Sendable (_ upload: any TestClientProtocol, _ download: any TestClientProtocol) async throws -> Void
    ) async throws {
        let uploadParts = try await TestNode.parts(role: .upload, dataDirectory: directory, configure: configure)
        let downloadParts = try await TestNode.parts(role: .download, dataDirectory: directory, configure: configure)
        let uploadRouter = NodeApplication.makeRouter(
            configuration: uploadParts.configuration, readiness: NodeMain.readinessProbe(uploadParts))
        let uploadServices = try await UploadNode.setUp(router: uploadRouter, parts: uploadParts)
        let uploadApp = try NodeApplication.makeApplication(
            router: uploadRouter, configuration: uploadParts.configuration, services: uploadServices,
            logger: uploadParts.logger)
        let downloadRouter = NodeApplication.makeRouter(
            configuration: downloadParts.configuration, readiness: NodeMain.readinessProbe(downloadParts))
        let downloadServices = try DownloadNode.setUp(router: downloadRouter, parts: downloadParts)
        let downloadApp = try NodeApplication.makeApplication(
            router: downloadRouter, configuration: downloadParts.configuration, services: downloadServices,
            logger: downloadParts.logger)
        try await uploadApp.test(.live) { upload in
            try await downloadApp.test(.live) { download in
                try await body(upload, download)
            }
        }
    }

    /// `PUT …/<fname>/<uid>` of `bytes` with `user`'s token; returns the status code.
    static func put(
        _ client: any TestClientProtocol, name: String, uid: String, as user: String, bytes: [UInt8]
    ) async throws -> Int {
        try await putAnswer(client, name: name, uid: uid, as: user, bytes: bytes).status
    }

    /// `PUT …/<fname>/<uid>` of `bytes` with `user`'s token and an optional `Content-Type`.
    static func putAnswer(
        _ client: any TestClientProtocol, name: String, uid: String, as user: String, bytes: [UInt8],
        contentType: String? = nil
    ) async throws -> (status: Int, body: String) {
        var headers: HTTPFields = [
            .authorization: TestNode.bearer(user), .contentMD5: MD5Hasher.digest(bytes).base64,
        ]
        if let contentType { headers[.contentType] = contentType }
        return try await client.execute(
            uri: "/upload_download_service/\(encode(name))/\(encode(uid))", method: .put, headers: headers,
            body: ByteBuffer(bytes: bytes)
        ) { (Int($0.status.code), String(buffer: $0.body)) }
    }

    /// `GET …/<fname>/<uid>` with `user`'s token: status and body.
    static func get(
        _ client: any TestClientProtocol, name: String, uid: String, as user: String,
        method: HTTPRequest.Method = .get
    ) async throws -> (status: Int, body: [UInt8]) {
        try await client.execute(
            uri: "/upload_download_service/\(encode(name))/\(encode(uid))", method: method,
            headers: [.authorization: TestNode.bearer(user)]
        ) { (Int($0.status.code), Array(buffer: $0.body)) }
    }

    /// The listing of `uid` with `user`'s token: status, the names' UTF-8 bytes and the content types.
    static func list(
        _ client: any TestClientProtocol, uid: String, as user: String
    ) async throws -> (status: Int, names: [[UInt8]], contentTypes: [String]) {
        try await client.execute(
            uri: "/upload_download_service/users/\(encode(uid))/files", method: .get,
            headers: [.authorization: TestNode.bearer(user)]
        ) { response in
            let json = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            let files = json?["files"] as? [[String: Any]] ?? []
            return (
                Int(response.status.code), files.compactMap { ($0["name"] as? String).map { Array($0.utf8) } },
                files.compactMap { $0["content_type"] as? String }
            )
        }
    }

    /// Percent-encodes a path segment byte for byte (`.` and `..` as `%2E`, `%2E%2E`: a client
    /// would otherwise resolve them as dot segments).
    static func encode(_ segment: String) -> String {
        let encoded = PercentEncoding.encodeUnreserved(segment)
        return encoded.allSatisfy { $0 == "." } ? String(repeating: "%2E", count: encoded.count) : encoded
    }

    /// A `multipart/form-data` upload of `bytes` as `name` with `user`'s token: status and body.
    static func postForm(
        _ client: any TestClientProtocol, name: String, as user: String, bytes: [UInt8],
        partContentType: String = "application/octet-stream"
    ) async throws -> (status: Int, body: String) {
        let body = MultipartBody.make(
            fileName: name, file: bytes, md5: MD5Hasher.digest(bytes).hex, fileContentType: partContentType)
        return try await client.execute(
            uri: "/upload_download_service/upload", method: .post,
            headers: [.authorization: TestNode.bearer(user), .contentType: MultipartBody.contentType], body: body
        ) { (Int($0.status.code), String(buffer: $0.body)) }
    }
}
