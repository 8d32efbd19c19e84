import CoreStore
import Foundation
import TestSupport
import Testing

/// alice's files moved with curl the way the README shows: a raw `PUT` with `Content-MD5`, and a
/// `GET` into a file. Failed expectations are reported at the caller's line.
enum RawTransfer {
    /// Writes `bytes` to `<directory>/<name>` and `PUT`s it as alice's `name` to `upload`,
    /// expecting 200.
    /// - Parameters:
    ///   - bytes: The file's bytes.
    ///   - name: The file name, on disk and in the URL.
    ///   - directory: Where the file is written.
    ///   - token: alice's bearer token.
    ///   - upload: The upload node's base URL.
    static func put(
        _ bytes: [UInt8], name: String, in directory: String, token: String, to upload: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let path = EndToEndTests.file(bytes, in: directory, name: name)
        let put = try await CurlCommand.run([
            "-H", "Authorization: Bearer \(token)", "-H", "Content-MD5: \(MD5Hasher.digest(bytes).base64)", "-T", path,
            "\(upload)/upload_download_service/\(name)/alice",
        ])
        #expect(put.status == 200, "\(put.body)", sourceLocation: sourceLocation)
    }

    /// `GET`s alice's `name` from `download` into `<directory>/<name>.out<read>`, expecting 200 and
    /// exactly `bytes`.
    /// - Parameters:
    ///   - bytes: The bytes the file must hold.
    ///   - name: The file name in the URL.
    ///   - directory: Where the answer is written.
    ///   - token: alice's bearer token.
    ///   - download: The download node's base URL (`https://…` with `--cacert` in `options`).
    ///   - options: Extra curl options.
    ///   - read: Which read this is (names the output file and the failure).
    static func read(
        _ bytes: [UInt8], name: String, in directory: String, token: String, from download: String,
        options: [String] = [], read: Int = 1, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let output = directory + "/\(name).out\(read)"
        let get = try await CurlCommand.run(
            options + ["-H", "Authorization: Bearer \(token)", "\(download)/upload_download_service/\(name)/alice"],
            output: output)
        #expect(get.status == 200, "read \(read)", sourceLocation: sourceLocation)
        #expect(
            FileManager.default.contents(atPath: output) == Data(bytes), "read \(read) is byte-identical",
            sourceLocation: sourceLocation)
    }
}
