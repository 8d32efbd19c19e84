public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A client of the upload/download service: uploads, downloads (resumable, verified), listing,
/// deletion and download links, over AsyncHTTPClient.
///
/// Every call retries `503` and `429` answers as its ``RetryPolicy`` says (never other `4xx`), and
/// throws ``ClientError`` (the service's refusals as ``ClientError/service(_:)`` with their stable code).
/// Cancelling the calling task cancels the transfer; a cancelled download leaves its partial file
/// for the next call to resume.
public struct UDSClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: ClientConfiguration
    /// The user id in paths: ``ClientConfiguration/user``, else the token's `sub` claim.
    public let user: String
    let httpClient: HTTPClient

    /// Makes a client.
    /// - Parameters:
    ///   - configuration: Endpoints, token and transfer settings.
    ///   - httpClient: The HTTP client to use (``defaultHTTPClient`` unless given; the caller owns any other).
    /// - Throws: ``ClientError/missingUser`` when no user id is configured and the token has no `sub`.
    public init(configuration: ClientConfiguration, httpClient: HTTPClient = UDSClient.defaultHTTPClient) throws {
        guard let user = configuration.user ?? TokenUser.user(in: configuration.token) else {
            throw ClientError.missingUser
        }
        self.configuration = configuration
        self.user = user
        self.httpClient = httpClient
    }

    /// The process-wide HTTP client clients use unless given another: a refused or failed connection
    /// fails the request at once (AsyncHTTPClient's default keeps re-connecting until the request's
    /// deadline, which for transfers is none), with a 10 s connect timeout. Never shut down.
    public static let defaultHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Deletes the file `name`.
    /// - Parameter name: The file name.
    /// - Throws: ``ClientError`` (`FILE_NOT_FOUND` when there is no such file).
    public func delete(name: String) async throws {
        _ = try await send(expecting: [204]) {
            HTTPClientRequest(node: .upload, path: filePath(name), method: .DELETE, configuration: configuration)
        }
    }

    /// One page of the listing, newest first.
    /// - Parameters:
    ///   - limit: Entries per page (1–1000; the node's default, 100, when `nil`).
    ///   - cursor: A previous page's ``FilePage/nextCursor``; `nil` for the first page.
    /// - Throws: ``ClientError``.
    public func listPage(limit: Int? = nil, cursor: String? = nil) async throws -> FilePage {
        var query: [String] = []
        if let limit { query.append("limit=\(limit)") }
        if let cursor { query.append("cursor=\(PathSegment.encode(cursor))") }
        let path =
            "/upload_download_service/users/\(PathSegment.encode(user))/files"
            + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let body = try await sendForBody {
            HTTPClientRequest(node: .download, path: path, method: .GET, configuration: configuration)
        }
        return try Self.decode(FilePage.self, from: body)
    }

    /// The listing as an asynchronous sequence of pages, fetched one at a time as it is iterated.
    /// - Parameter pageSize: Entries per page (the node's default when `nil`).
    public func list(pageSize: Int? = nil) -> FilePages { FilePages(client: self, pageSize: pageSize) }

    /// Makes a download link for `name` on the download node.
    /// - Parameters:
    ///   - name: The file name.
    ///   - expiresIn: Validity in seconds (the node's default when `nil`).
    /// - Throws: ``ClientError`` (`FILE_NOT_FOUND`, `BAD_REQUEST` for a bad `expiresIn`).
    public func link(name: String, expiresIn: Int? = nil) async throws -> DownloadLink {
        let path = filePath(name) + "/link" + (expiresIn.map { "?expires_in=\($0)" } ?? "")
        let body = try await sendForBody {
            HTTPClientRequest(node: .download, path: path, method: .POST, configuration: configuration)
        }
        return try Self.decode(DownloadLink.self, from: body)
    }

    /// `/upload_download_service/<fname>/<uid>`, percent-encoded.
    func filePath(_ name: String) -> String {
        "/upload_download_service/\(PathSegment.encode(name))/\(PathSegment.encode(user))"
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        do { return try JSONDecoder().decode(type, from: body) } catch {
            throw ClientError.invalidResponse(
                "\(T.self) expected, got \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
    }
}
