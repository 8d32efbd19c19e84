/// A listing page as the tests read it (`GET /upload_download_service/users/{uid}/files`,
/// docs/api.md); decoding fails on a body without `files`.
struct ListingPage: Decodable {
    /// One listed file (the fields the tests compare).
    struct File: Decodable {
        let name: String
        let md5: String?
        let size: Int?
    }

    let files: [File]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case files
        case nextCursor = "next_cursor"
    }
}
