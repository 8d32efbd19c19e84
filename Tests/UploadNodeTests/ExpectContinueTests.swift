import CoreStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@testable import UploadNode

@Suite("Expect: 100-continue and early rejection over a real socket (curl)")
struct ExpectContinueTests {
    @Test("an accepted upload gets 100 Continue; a rejected one gets its final status without 100")
    func expectContinue() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.maxUploadBytes = 3_000_000 }
        let app = try await makeUploadApp(parts)
        let directory = IntegrationEnvironment.temporaryDirectory("expect")
        let bytes = MultipartBody.randomBytes(2_000_000)
        let path = directory + "/f.bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let md5 = MD5Hasher.digest(bytes)
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(client.port!)/upload_download_service"
            let good = try await CurlCommand.run([
                "-H", "Authorization: \(TestNode.bearer("alice"))", "-H", "Content-MD5: \(md5.base64)",
                "-H", "Expect: 100-continue", "--expect100-timeout", "20", "-T", path, "\(base)/f.bin/alice",
            ])
            #expect(good.status == 200, "\(good.body)")
            #expect(good.headers.contains("100 Continue"))

            let badToken = try await CurlCommand.run([
                "-H", "Authorization: Bearer nope", "-H", "Content-MD5: \(md5.base64)",
                "-H", "Expect: 100-continue", "--expect100-timeout", "20", "-T", path, "\(base)/g.bin/alice",
            ])
            #expect(badToken.status == 403)
            #expect(!badToken.headers.contains("100 Continue"))
            #expect(badToken.body.contains("client credentials invalid"))

            let big = directory + "/big.bin"
            _ = FileManager.default.createFile(atPath: big, contents: Data(MultipartBody.randomBytes(4_000_000)))
            let tooLarge = try await CurlCommand.run([
                "-H", "Authorization: \(TestNode.bearer("alice"))", "-H", "Content-MD5: \(md5.base64)",
                "-H", "Expect: 100-continue", "--expect100-timeout", "20", "-T", big, "\(base)/big.bin/alice",
            ])
            #expect(tooLarge.status == 413)
            #expect(!tooLarge.headers.contains("100 Continue"))

            let chunked = try await CurlCommand.run([
                "-X", "PUT", "-H", "Authorization: \(TestNode.bearer("alice"))", "-H", "Content-MD5: \(md5.base64)",
                "-H", "Transfer-Encoding: chunked", "-H", "Expect:", "--data-binary", "@\(big)",
                "\(base)/chunked.bin/alice",
            ])
            #expect(chunked.status == 413, "a chunked body is cut at the limit: \(chunked.body)")
            #expect(chunked.body.contains("Document file size is too large"))

            let form = try await CurlCommand.run([
                "-H", "Authorization: \(TestNode.bearer("alice"))", "-F", "md5=\(md5.hex)",
                "-F", "file=@\(path);filename=form.bin", "\(base)/upload",
            ])
            #expect(form.status == 200, "\(form.body)")
            #expect(form.headers.contains("100 Continue"))
        }
    }
}
