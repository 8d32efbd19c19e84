import CoreStore
import Foundation
import TestSupport
import Testing

/// `kill -9` of an upload node during many parallel small uploads, three times: after each restart
/// the object store holds exactly the objects of committed rows (an upload killed between placing
/// its object and committing its row leaves no orphan; issue 18, item 2).
@Suite("no orphan objects after kill -9 (local store)", .enabled(if: IntegrationEnvironment.isAvailable))
struct OrphanRecoveryTests {
    /// Regular files under `directory`, recursively.
    static func fileCount(_ directory: String) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return 0 }
        var count = 0
        while let entry = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + entry, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                count += 1
            }
        }
        return count
    }

    @Test("objects = committed rows after each of three kills during 40 parallel PUTs")
    func objectsEqualRowsAfterKills() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("orphans")
        let arguments = ["--data-dir", directory, "--log-level", "warning", "--leftover-grace-seconds", "0"]
        var upload = try await NodeProcess.start("upload-node", arguments: arguments)
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)
        let body = directory + "/body.bin"
        let bytes = MultipartBody.randomBytes(256 * 1024, seed: 18)
        _ = FileManager.default.createFile(atPath: body, contents: Data(bytes))
        let md5 = MD5Hasher.digest(bytes).base64
        for round in 0..<3 {
            let before = Self.fileCount(directory + "/objects")
            // 40 clients, each uploading new names in a loop until it is stopped.
            let script =
                (0..<40).map { client in
                    "(for i in $(seq 1 1000); do curl -s -o /dev/null -H 'Authorization: Bearer \(token)' "
                        + "-H 'Content-MD5: \(md5)' -T '\(body)' "
                        + "\(upload.baseURL)/upload_download_service/r\(round)-c\(client)-$i.bin/alice || exit 0; done) &"
                }.joined(separator: "\n") + "\nwait"
            let clients = Process()
            clients.executableURL = URL(fileURLWithPath: "/bin/bash")
            clients.arguments = ["-c", script]
            try clients.run()
            // Kill once uploads are flowing (objects are appearing).
            let deadline = ContinuousClock.now + .seconds(30)
            while Self.fileCount(directory + "/objects") < before + 60, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            upload.process.kill()
            #expect(await upload.process.waitForExit(timeout: 10))
            clients.terminate()
            clients.waitUntilExit()
            upload = try await NodeProcess.start("upload-node", arguments: arguments, port: upload.port)
            let resolved = await eventually {
                SpoolListing.uploadEntries(in: directory + "/spool").isEmpty
            }
            #expect(resolved, "round \(round): the restarted node's sweeper resolved every leftover journal")
            let download = try await NodeProcess.start("download-node", arguments: arguments)
            var rows = 0
            var cursor = ""
            repeat {  // every page of the listing (1000 names at most per page)
                let listing = try await CurlCommand.run([
                    "-H", "Authorization: Bearer \(token)",
                    "\(download.baseURL)/upload_download_service/users/alice/files?limit=1000"
                        + (cursor.isEmpty ? "" : "&cursor=\(cursor)"),
                ])
                #expect(listing.status == 200)
                rows += listing.body.components(separatedBy: "\"name\":").count - 1
                cursor =
                    listing.body.components(separatedBy: "\"next_cursor\":\"").dropFirst().first?
                    .components(separatedBy: "\"").first ?? ""
            } while !cursor.isEmpty
            download.process.terminate()
            let objects = Self.fileCount(directory + "/objects")
            #expect(rows > before, "round \(round): uploads were committed before the kill")
            #expect(objects == rows, "round \(round): \(objects) objects, \(rows) committed rows")
        }
        upload.process.terminate()
    }
}
