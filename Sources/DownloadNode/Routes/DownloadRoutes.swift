import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import NodeHTTP

/// The download node's API (design §3): `GET`/`HEAD …/<fname>/<uid>` (with a bearer token or a
/// signed link), the listing, and `POST …/<fname>/<uid>/link` (docs/decisions/0023).
///
/// Read-after-write (design §5.1): every `GET`/`HEAD` asks the metadata store which version a name
/// has (one indexed point query; no name → version cache answers on its own), then opens that
/// version's bytes before the status line. A version whose object vanished between the two (a
/// replace or delete raced the request) is looked up again, at most ``maximumLookups`` times.
struct DownloadRoutes: Sendable {
    let authorizer: RequestAuthorizer
    let metadata: any MetadataStore
    let reader: TieredReader
    let accessRecorder: AccessRecorder
    let drain: DrainState
    let links: DownloadLinks
    /// Whether cache files may go out with `sendfile` (not when the node serves TLS).
    var zeroCopy = true

    /// Largest page of the listing.
    static let maximumPageSize = 1000

    /// Metadata lookups one download may make: the first, plus one per version that was replaced
    /// or deleted between its lookup and opening its bytes.
    static let maximumLookups = 3

    /// Registers the routes under `/upload_download_service`.
    func register(on router: Router<NodeRequestContext>) {
        let group = router.group("upload_download_service")
        group.get("users/{uid}/files") { request, context in try await self.list(request, context: context) }
        group.head("users/{uid}/files") { request, context in
            try await self.list(request, context: context).withoutBody()
        }
        group.get("{fname}/{uid}") { request, context in try await self.download(request, context: context) }
        group.head("{fname}/{uid}") { request, context in try await self.download(request, context: context) }
        let issuing = LinkIssuing(authorizer: authorizer, metadata: metadata, links: links)
        group.post("{fname}/{uid}/link") { request, context in try await issuing.issue(request, context: context) }
        // A file literally named `users`: the router matches the listing's constant segment first
        // and does not backtrack, so these routes name the file themselves.
        group.get("users/{uid}") { request, context in
            try await self.download(request, context: context.naming(file: Self.listingSegment))
        }
        group.head("users/{uid}") { request, context in
            try await self.download(request, context: context.naming(file: Self.listingSegment))
        }
        group.post("users/{uid}/link") { request, context in
            try await issuing.issue(request, context: context.naming(file: Self.listingSegment))
        }
    }

    /// The listing's first path segment, which is also a valid file name.
    static let listingSegment = "users"

    private func download(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try await AuditedTransfer.run(operation: "download", context: context) { audit in
            let userID: UserID
            let fileName: FileName
            var link: DownloadLinkParameters?
            if let parsed = DownloadLinks.parameters(of: request) {
                let verified = try await links.authorize(parsed, context: context, authorizer: authorizer)
                (userID, fileName, link) = (verified.0, verified.1, verified.2)
                audit.details = ["auth.method": "link", "link.key_id": "\(verified.2.keyID)"]
            } else {
                (userID, fileName) = try await authorizer.owner(of: request, context: context)
            }
            audit.userID = userID.rawValue
            audit.fileName = fileName.rawValue
            var vanished: FileID?
            for lookup in 1...Self.maximumLookups {
                let record = try await lookUp(userID: userID, fileName: fileName)
                if let link, record.fileID != link.fileID {
                    // The link's version was replaced or deleted: it never serves another one.
                    throw CoreStoreError(.fileNotFound)
                }
                if let vanished, record.fileID == vanished {
                    // The store still names the version whose object is missing: not a race.
                    throw CoreStoreError(.objectNotFound)
                }
                audit.fileID = record.fileID.rawValue
                do {
                    let response = try await respond(to: request, context: context, record: record, audit: &audit)
                    accessRecorder.record(record.fileID)
                    return response
                } catch let error as CoreStoreError
                    where error.code == .objectNotFound && lookup < Self.maximumLookups
                {
                    // Replaced or deleted after the lookup, before its bytes were opened: ask again.
                    vanished = record.fileID
                    Counter(label: "uds_download_relookups_total").increment()
                }
            }
            throw CoreStoreError(.objectNotFound)
        }
    }

    /// The live version of a name, from the metadata store itself.
    /// - Throws: `.fileNotFound`, `.metadataUnavailable`.
    private func lookUp(userID: UserID, fileName: FileName) async throws -> FileRecord {
        guard let record = try await metadata.record(userID: userID, fileName: fileName) else {
            throw CoreStoreError(.fileNotFound)
        }
        return record
    }

    /// Headers (and, for `GET`, the opened bytes) of one version.
    /// - Throws: `.objectNotFound` before any status line when the version's object is gone.
    private func respond(
        to request: Request, context: NodeRequestContext, record: FileRecord, audit: inout TransferAudit
    ) async throws -> Response {
        let headers = DownloadHeaders(record: record)
        try EntityTagPreconditions(request.headers).checkIfMatch(current: record)
        if headers.isNotModified(request.headers) {
            return Response(status: .notModified, headers: headers.base())
        }
        var range = ByteRangeRequest(header: request.headers[.range], size: record.size)
        if range != .whole, !headers.ifRangeMatches(request.headers) { range = .whole }
        let slice: ClosedRange<Int64>?
        switch range {
        case .unsatisfiable:
            var fields = headers.base()
            fields[.contentRange] = "bytes */\(record.size)"
            fields[.contentType] = "application/json; charset=utf-8"
            return Response(
                status: .rangeNotSatisfiable, headers: fields,
                body: .init(byteBuffer: ErrorResponse.body(for: CoreStoreError(.rangeNotSatisfiable))))
        case .partial(let bounds): slice = bounds
        case .whole: slice = nil
        }
        let length = slice.map { $0.upperBound - $0.lowerBound + 1 } ?? record.size
        var fields = headers.content(length: length)
        if let slice { fields[.contentRange] = "bytes \(slice.lowerBound)-\(slice.upperBound)/\(record.size)" }
        let status: HTTPResponse.Status = slice == nil ? .ok : .partialContent
        if request.method == .head { return Response(status: status, headers: fields) }

        let source = record.size == 0 ? .memory(ByteBuffer()) : try await reader.locate(record, range: slice)
        audit.bytes = length
        audit.tier = source.tierName
        let bytes = (slice?.lowerBound ?? 0)..<((slice?.upperBound ?? (record.size - 1)) + 1)
        let body = DownloadBody.make(source: source, range: bytes, drain: drain, context: context, zeroCopy: zeroCopy)
        return Response(status: status, headers: fields, body: body)
    }

    private func list(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let userID = try await authorizer.user(of: request, context: context)
        let query = request.uri.queryParameters
        var limit = 100
        if let text = query["limit"] {
            limit = try Self.pageSize(String(text))
        }
        let cursor = query["cursor"].map { String($0).removingPercentEncoding ?? String($0) }
        let page = try await metadata.list(userID: userID, limit: limit, cursor: cursor)
        var response = try JSONResponse.make(FileListing(page: page))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The page size a `limit` asks for: a positive decimal integer, capped at
    /// ``maximumPageSize`` however many digits it has.
    /// - Throws: `.badRequest` for anything else (empty, zero, signs, non-digits).
    static func pageSize(_ text: String) throws(CoreStoreError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            text.utf8.contains(where: { $0 != UInt8(ascii: "0") })
        else { throw CoreStoreError(.badRequest, "limit must be a positive integer") }
        return Int(text).map { min($0, maximumPageSize) } ?? maximumPageSize
    }
}

extension NodeRequestContext {
    /// This context with the path parameter `fname` set to `name` (for routes whose file name is
    /// a constant segment).
    fileprivate func naming(file name: String) -> NodeRequestContext {
        var context = self
        context.coreContext.parameters.append(key: "fname", value: name[...])
        return context
    }
}
