import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NodeHTTP

/// The download node's API (design §3): `GET`/`HEAD …/<fname>/<uid>` and the listing.
struct DownloadRoutes: Sendable {
    let authorizer: RequestAuthorizer
    let metadata: any MetadataStore
    let metadataCache: RedisMetadataCache?
    let localMetadata: LocalMetadataCache
    let reader: TieredReader
    let objectStore: any ObjectStore
    let accessRecorder: AccessRecorder
    let drain: DrainState

    /// Largest page of the listing.
    static let maximumPageSize = 1000

    /// Registers the routes under `/upload_download_service`.
    func register(on router: Router<NodeRequestContext>) {
        let group = router.group("upload_download_service")
        group.get("users/{uid}/files") { request, context in try await self.list(request, context: context) }
        group.get("{fname}/{uid}") { request, context in try await self.download(request, context: context) }
        group.head("{fname}/{uid}") { request, context in try await self.download(request, context: context) }
    }

    private func download(_ request: Request, context: NodeRequestContext) async throws -> Response {
        var audit = TransferAudit(operation: "download", requestID: context.requestID)
        do {
            let (userID, fileName) = try await authorizer.owner(of: request, context: context)
            audit.userID = userID.rawValue
            audit.fileName = fileName.rawValue
            var record = try await lookUp(userID: userID, fileName: fileName, fresh: false)
            var response: Response
            do {
                response = try await respond(to: request, context: context, record: record, audit: &audit)
            } catch let error as CoreStoreError where error.code == .objectNotFound {
                // The version was replaced or deleted after the lookup: look again, once, past the caches.
                record = try await lookUp(userID: userID, fileName: fileName, fresh: true)
                response = try await respond(to: request, context: context, record: record, audit: &audit)
            }
            audit.fileID = record.fileID.rawValue
            accessRecorder.record(record.fileID)
            audit.finish(outcome: "ok", logger: context.logger)
            return response
        } catch {
            let code = ErrorResponse.coreStoreError(from: error).code
            audit.finish(outcome: "error", error: code.rawValue, logger: context.logger)
            throw error
        }
    }

    /// Metadata: in-process cache (1 s), Redis (short TTL, invalidated on upload/delete), then the
    /// database; `fresh` skips and refreshes both caches.
    /// - Throws: `.fileNotFound`, `.metadataUnavailable`.
    private func lookUp(userID: UserID, fileName: FileName, fresh: Bool) async throws -> FileRecord {
        if !fresh {
            if let local = localMetadata.get(userID: userID, fileName: fileName) { return local }
            if let metadataCache, let cached = try? await metadataCache.get(userID: userID, fileName: fileName) {
                localMetadata.put(cached)
                return cached
            }
        }
        guard let record = try await metadata.record(userID: userID, fileName: fileName) else {
            localMetadata.remove(userID: userID, fileName: fileName)
            if fresh, let metadataCache { try? await metadataCache.invalidate(userID: userID, fileName: fileName) }
            throw CoreStoreError(.fileNotFound)
        }
        localMetadata.put(record)
        if let metadataCache { try? await metadataCache.put(record) }
        return record
    }

    private func respond(
        to request: Request, context: NodeRequestContext, record: FileRecord, audit: inout TransferAudit
    ) async throws -> Response {
        let headers = DownloadHeaders(record: record)
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

        let source =
            record.size == 0 ? .memory(ByteBuffer()) : try await reader.locate(record, wholeFileNeeded: slice == nil)
        audit.bytes = length
        audit.tier = source.tierName
        let body = Self.body(
            source: source, record: record, slice: slice, length: length, store: objectStore, drain: drain,
            context: context)
        return Response(status: status, headers: fields, body: body)
    }

    private static func body(
        source: TieredReader.Source, record: FileRecord, slice: ClosedRange<Int64>?, length: Int64,
        store: any ObjectStore, drain: DrainState, context: NodeRequestContext
    ) -> ResponseBody {
        let range = (slice?.lowerBound ?? 0)..<((slice?.upperBound ?? (record.size - 1)) + 1)
        let produce: @Sendable (_ write: (ByteBuffer) async throws -> Void) async throws -> Void
        switch source {
        case .memory(let bytes):
            return ResponseBody(
                byteBuffer: bytes.getSlice(at: bytes.readerIndex + Int(range.lowerBound), length: Int(length)) ?? bytes)
        case .filling(let fill) where context.canSendFile:
            // As the object arrives: each segment the fill has written goes out with sendfile.
            return sendFileBody(length: length, drain: drain) {
                try await CacheFileReader.forEachArrived(fill, range: range) { descriptor, segment in
                    try await context.sendFile(descriptor: descriptor, range: segment)
                }
            }
        case .filling(let fill):
            produce = { write in try await CacheFileReader.stream(fill, range: range, write: write) }
        case .cachedFile(let file) where context.canSendFile:
            return sendFileBody(length: length, drain: drain) {
                try await context.sendFile(path: file.path, range: range)
            }
        case .cachedFile(let file):
            produce = { write in try await CacheFileReader.stream(file, range: range, write: write) }
        case .objectStore:
            produce = { write in try await ObjectStoreRelay.stream(store, key: record.objectKey, range: slice, write: write) }
        }
        return ResponseBody(contentLength: Int(length)) { writer in
            try await drain.track {
                try await produce { try await writer.write($0) }
            }
            try await writer.finish(nil)
        }
    }

    /// A zero-copy body: the head goes out first (through Hummingbird), then `send` hands file
    /// regions to the kernel (sendfile), then the response ends.
    private static func sendFileBody(
        length: Int64, drain: DrainState, send: @escaping @Sendable () async throws -> Void
    ) -> ResponseBody {
        ResponseBody(contentLength: Int(length)) { writer in
            try await drain.track {
                try await writer.write(ByteBuffer())
                try await send()
            }
            try await writer.finish(nil)
        }
    }

    private func list(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let userID = try await authorizer.user(of: request, context: context)
        let query = request.uri.queryParameters
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(String(text)), value > 0 else {
                throw CoreStoreError(.badRequest, "limit must be a positive integer")
            }
            limit = min(value, Self.maximumPageSize)
        }
        let cursor = query["cursor"].map { String($0).removingPercentEncoding ?? String($0) }
        let page = try await metadata.list(userID: userID, limit: limit, cursor: cursor)
        return try JSONResponse.make(FileListing(page: page))
    }
}

extension TieredReader.Source {
    var tierName: String {
        switch self {
        case .cachedFile: "disk"
        case .filling: "store"
        case .memory: "redis"
        case .objectStore: "store"
        }
    }
}

/// The listing body: `{"files":[…],"next_cursor":…}`.
struct FileListing: Encodable {
    struct Item: Encodable {
        let name: String
        let size: Int64
        let md5: String
        let contentType: String
        let createdAt: String
        let lastAccessedAt: String?

        enum CodingKeys: String, CodingKey {
            case name, size, md5
            case contentType = "content_type"
            case createdAt = "created_at"
            case lastAccessedAt = "last_accessed_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(size, forKey: .size)
            try container.encode(md5, forKey: .md5)
            try container.encode(contentType, forKey: .contentType)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(lastAccessedAt, forKey: .lastAccessedAt)  // null until first download
        }
    }

    let files: [Item]
    let nextCursor: String?

    init(page: FilePage) {
        files = page.files.map {
            Item(
                name: $0.fileName.rawValue, size: $0.size, md5: $0.md5.hex, contentType: $0.contentType,
                createdAt: ISO8601Timestamp.string(from: $0.createdAt),
                lastAccessedAt: $0.lastAccessedAt.map(ISO8601Timestamp.string(from:)))
        }
        nextCursor = page.nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case files
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(files, forKey: .files)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
