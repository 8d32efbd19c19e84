import Foundation
import TestSupport
import Testing
import UDSClient

/// Download links through the library and `uds link`, against a real download node; each link is
/// then fetched without a token.
@Suite("download links (library and uds link)")
struct LinkTests {
    @Test("link(name:expiresIn:) answers a URL that downloads the file without a token; 404 and 400 are typed")
    func libraryLink() async throws {
        try await ClientTestNodes.run { nodes in
            let client = try nodes.client()
            let bytes = MultipartBody.randomBytes(50_000, seed: 11)
            let stored = try await client.upload(file: nodes.file("shared.bin", bytes))
            let link = try await client.link(name: "shared.bin", expiresIn: 600)
            #expect(link.expiresIn == 600)
            #expect(link.md5 == stored.md5)
            #expect(link.size == 50_000)
            #expect(link.fileID == stored.fileID)
            #expect(link.url.hasPrefix(nodes.downloadURL + "/upload_download_service/shared.bin/alice?"))
            let target = nodes.directory + "/shared.out"
            let fetched = try await CurlCommand.run([link.url], output: target)
            #expect(fetched.status == 200)
            #expect(FileManager.default.contents(atPath: target) == Data(bytes))

            await #expect {
                _ = try await client.link(name: "missing.bin")
            } throws: { ($0 as? ClientError)?.serviceCode == .fileNotFound }
            await #expect {
                _ = try await client.link(name: "shared.bin", expiresIn: 0)
            } throws: { ($0 as? ClientError)?.serviceCode == .badRequest }
        }
    }

    @Test("uds link prints the URL (plain) or the node's JSON (--json); a missing name exits 4")
    func commandLineLink() async throws {
        try await ClientTestNodes.run { nodes in
            let flags = CommandLineTests.endpoints(nodes)
            let bytes = Array("linked\n".utf8)
            #expect(try await CommandLineTests.uds(["upload", nodes.file("l.txt", bytes)] + flags).status == 0)
            let plain = try await CommandLineTests.uds(["link", "l.txt", "--expires", "120"] + flags)
            #expect(plain.status == 0)
            let url = plain.output.trimmingCharacters(in: .newlines)
            #expect(plain.output.hasSuffix("\n") && !url.contains("\n"))
            let fetched = try await CurlCommand.run([url])
            #expect(fetched.status == 200)
            #expect(fetched.body == "linked\n")

            let json = try await CommandLineTests.uds(["link", "l.txt", "--json"] + flags)
            let answer = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            #expect(answer?["md5"] as? String == CommandLineTests.md5(bytes))
            #expect(answer?["expires_in"] as? Int == 3600)
            #expect((answer?["url"] as? String)?.hasPrefix("http://127.0.0.1:") == true)
            #expect(try await CommandLineTests.uds(["link", "nope.txt"] + flags).status == 4)
        }
    }
}
