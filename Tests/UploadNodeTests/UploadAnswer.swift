/// The JSON answer of a committed upload as the tests read it (docs/api.md); decoding fails when a
/// field is missing or has another type.
struct UploadAnswer: Decodable {
    let fileID: String
    let name: String
    let size: Int
    let md5: String
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id"
        case name, size, md5
        case createdAt = "created_at"
    }
}
