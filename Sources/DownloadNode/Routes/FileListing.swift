import CoreStore
import NodeHTTP

/// The listing body: `{"files":[…],"next_cursor":…}`.
///
/// Bounded: a page holds at most 1000 entries, and every field of an entry is bounded (name 255 and
/// content type 255 bytes, each at most doubled by JSON escaping; a stored content type that is not
/// a valid media type is listed as `application/octet-stream`), so an entry encodes to at most
/// ``maximumEntryBytes`` and a page to at most 1000 × that (about 1.3 MB).
struct FileListing: Encodable {
    /// The most bytes one encoded entry can take (docs/api.md, listing).
    static let maximumEntryBytes = 1300

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
                name: $0.fileName.rawValue, size: $0.size, md5: $0.md5.hex,
                contentType: FileContentType.servable($0.contentType),
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
