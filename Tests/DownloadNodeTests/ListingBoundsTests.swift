import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@testable import DownloadNode

/// A listing page is bounded: at most 1000 entries of at most `FileListing.maximumEntryBytes` each,
/// whatever rows older versions stored.
@Suite("listing size bounds and stored content types")
struct ListingBoundsTests {
    @Test("a row stored before validation with an 80 KB content type is listed and served as application/octet-stream")
    func legacyContentType() async throws {
        let parts = try await TestNode.parts(role: .download)
        let huge = "application/" + String(repeating: "x", count: 80_000)
        try await FileSeeder.seed(Array("old".utf8), user: "alice", name: "old.bin", contentType: huge, parts: parts)
        let app = try makeDownloadApp(parts)
        let alice: HTTPFields = [.authorization: TestNode.bearer("alice")]
        try await app.test(.live) { client in
            try await client.execute(uri: "/upload_download_service/users/alice/files", method: .get, headers: alice) {
                #expect($0.status == .ok)
                #expect($0.body.readableBytes < FileListing.maximumEntryBytes + 100)
                #expect(String(buffer: $0.body).contains("\"content_type\":\"application/octet-stream\""))
            }
            try await client.execute(uri: "/upload_download_service/old.bin/alice", method: .get, headers: alice) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType] == "application/octet-stream")
                #expect(Array(buffer: $0.body) == Array("old".utf8))
            }
        }
    }

    @Test("the largest possible entry encodes within maximumEntryBytes; a full page within 1000 of them")
    func worstCaseEntry() throws {
        // Every field at its longest, made of the characters JSON escaping doubles.
        let name = try FileName(validating: String(repeating: "\"", count: FileName.maximumBytes))
        let quoted = String(repeating: "\\\"", count: (FileContentType.maximumBytes - 9) / 2)
        let contentType = try FileContentType(validating: "a/b;c=\"" + quoted + "\"").rawValue
        let user = try UserID(validating: "alice")
        let record = FileRecord(
            fileID: FileID.generate(), userID: user, fileName: name,
            objectKey: ObjectKey(prefix: "files", userID: user, fileID: FileID.generate()), size: .max,
            md5: MD5Hasher.digest([]), contentType: contentType,
            createdAt: Date(timeIntervalSince1970: 253_402_300_799),
            lastAccessedAt: Date(timeIntervalSince1970: 253_402_300_799))
        let one = try JSONResponse.make(FileListing(page: FilePage(files: [record], nextCursor: "c")))
        let oneBytes = try #require(one.body.contentLength)
        #expect(oneBytes <= FileListing.maximumEntryBytes + 64)
        let page = try JSONResponse.make(
            FileListing(
                page: FilePage(files: Array(repeating: record, count: DownloadRoutes.maximumPageSize), nextCursor: "c"))
        )
        let pageBytes = try #require(page.body.contentLength)
        #expect(pageBytes <= DownloadRoutes.maximumPageSize * FileListing.maximumEntryBytes + 64)
    }
}
