import CoreStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@testable import UploadNode

/// Every byte of a form body counts toward the upload limit: a chunked body (no `Content-Length`
/// to check up front) may hold at most `max-upload-bytes` + 64 KiB, whatever part the bytes are in.
@Suite("multipart bytes outside the file part count toward the limit")
struct FormBodyLimitTests {
    static let limit: Int64 = 1_048_576
    static let padding = 3 * 1_048_576  // far over limit + 64 KiB

    /// A form body: `preamble`, an ignored file part of `ignored` bytes, the file part, the `md5`
    /// part, the closing delimiter and `epilogue`.
    static func body(file: [UInt8], preamble: Int = 0, ignored: Int = 0, epilogue: Int = 0) -> [UInt8] {
        let boundary = MultipartBody.boundary
        var out = [UInt8](repeating: 0x61, count: preamble)
        if preamble > 0 { out += Array("\r\n".utf8) }
        if ignored > 0 {
            out += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"other\"; filename=\"o.bin\"\r\n\r\n".utf8)
            out += [UInt8](repeating: 0x62, count: ignored) + Array("\r\n".utf8)
        }
        out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n\r\n".utf8)
        out += file + Array("\r\n".utf8)
        out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"md5\"\r\n\r\n".utf8)
        out += Array("\(MD5Hasher.digest(file).hex)\r\n--\(boundary)--\r\n".utf8)
        out += [UInt8](repeating: 0x63, count: epilogue)
        return out
    }

    /// POSTs `body` chunked (no `Content-Length`) with curl; returns status and body.
    static func postChunked(_ body: [UInt8], port: Int, directory: String) async throws -> CurlCommand.Result {
        let path = directory + "/body-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(body))
        return try await CurlCommand.run([
            "-X", "POST", "-H", "Authorization: \(TestNode.bearer("alice"))",
            "-H", "Content-Type: \(MultipartBody.contentType)", "-H", "Transfer-Encoding: chunked", "-H", "Expect:",
            "--data-binary", "@\(path)", "http://127.0.0.1:\(port)/upload_download_service/upload",
        ])
    }

    @Test(
        "a chunked form with megabytes of preamble, epilogue or an ignored part is 413 and stores nothing",
        arguments: ["preamble", "ignored part", "epilogue"])
    func outsideBytesAreCounted(_ place: String) async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.maxUploadBytes = Self.limit }
        let app = try await makeUploadApp(parts)
        let directory = IntegrationEnvironment.temporaryDirectory("form-limit")
        let file = MultipartBody.randomBytes(1000)
        let body = Self.body(
            file: file, preamble: place == "preamble" ? Self.padding : 0,
            ignored: place == "ignored part" ? Self.padding : 0, epilogue: place == "epilogue" ? Self.padding : 0)
        try await app.test(.live) { client in
            let answer = try await Self.postChunked(body, port: client.port!, directory: directory)
            #expect(answer.status == 413, "\(place): \(answer.body)")
            #expect(answer.body.contains("PAYLOAD_TOO_LARGE"), "\(place): \(answer.body)")
        }
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "f.bin"))
        #expect(record == nil, "\(place)")
    }

    @Test("a chunked form whose file is exactly the limit, with ordinary overhead, is accepted")
    func fileAtTheLimitIsAccepted() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.maxUploadBytes = Self.limit }
        let app = try await makeUploadApp(parts)
        let directory = IntegrationEnvironment.temporaryDirectory("form-limit-ok")
        let file = MultipartBody.randomBytes(Int(Self.limit), seed: 3)
        try await app.test(.live) { client in
            let answer = try await Self.postChunked(
                Self.body(file: file, preamble: 1000, ignored: 1000, epilogue: 1000), port: client.port!,
                directory: directory)
            #expect(answer.status == 200, "\(answer.body)")
        }
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "f.bin"))
        #expect(record?.size == Self.limit)
    }
}
