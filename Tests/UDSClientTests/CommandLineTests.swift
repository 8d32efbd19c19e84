import Crypto
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The built `uds` binary against real in-process nodes: plain output without a terminal, JSON
/// lines, exit codes, progress bars through a pseudo-terminal (`script`), and Ctrl-C (SIGINT).
@Suite("uds command line")
struct CommandLineTests {
    static var binary: String { NodeProcess.binDirectory + "/uds" }

    /// The flags naming the nodes and alice's token.
    static func endpoints(_ nodes: ClientTestNodes) -> [String] {
        ["--upload-url", nodes.uploadURL, "--download-url", nodes.downloadURL, "--token", nodes.token()]
    }

    static func uds(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(binary, arguments)
    }

    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test("without a terminal: upload -j 2, ls, download, rm print only result lines")
    func plainOutput() async throws {
        try await ClientTestNodes.run { nodes in
            let a = MultipartBody.randomBytes(200_000, seed: 1)
            let b = MultipartBody.randomBytes(300_000, seed: 2)
            let flags = Self.endpoints(nodes)
            let up = try await Self.uds(
                ["upload", nodes.file("a.bin", a), nodes.file("b.bin", b), "-j", "2"] + flags)
            #expect(up.status == 0)
            // -j 2: the two results come in the order the uploads finish.
            #expect(
                up.output.split(separator: "\n").sorted()
                    == ["a.bin\t200000\t\(Self.md5(a))", "b.bin\t300000\t\(Self.md5(b))"], "\(up.output)")
            #expect(up.output.hasSuffix("\n"))
            let list = try await Self.uds(["ls"] + flags)
            #expect(list.status == 0)
            let lines = list.output.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            #expect(lines.map { $0.count } == [3, 3])
            #expect(Set(lines.map { $0[2] }) == ["a.bin", "b.bin"])
            #expect(Set(lines.map { $0[0] }) == ["200000", "300000"])

            let target = nodes.directory + "/a.out"
            let down = try await Self.uds(["download", "a.bin", "-o", target] + flags)
            #expect(down.status == 0)
            #expect(down.output == "\(target)\t200000\t\(Self.md5(a))\n")
            #expect(FileManager.default.contents(atPath: target) == Data(a))

            let remove = try await Self.uds(["rm", "a.bin", "b.bin"] + flags)
            #expect(remove.status == 0)
            #expect(remove.output == "a.bin\nb.bin\n")
            #expect(!list.output.contains("\r") && !up.output.contains("\u{1B}") && !down.output.contains("\u{1B}"))
        }
    }

    @Test("--json prints one JSON object per line (ls, upload, download)")
    func jsonOutput() async throws {
        try await ClientTestNodes.run { nodes in
            let flags = Self.endpoints(nodes) + ["--json"]
            let bytes = Array("json body\n".utf8)
            let up = try await Self.uds(["upload", nodes.file("j.txt", bytes), "--name", "named.txt"] + flags)
            #expect(up.status == 0)
            let record = try JSONSerialization.jsonObject(with: Data(up.output.utf8)) as? [String: Any]
            #expect(record?["name"] as? String == "named.txt")
            #expect(record?["md5"] as? String == Self.md5(bytes))
            #expect(record?["file_id"] is String)

            let list = try await Self.uds(["ls"] + flags)
            let lines = list.output.split(separator: "\n")
            #expect(lines.count == 1)
            let file = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
            #expect(file?["name"] as? String == "named.txt")
            #expect(file?["size"] as? Int == bytes.count)
            #expect(file?["content_type"] as? String == "application/octet-stream")

            let down = try await Self.uds(["download", "named.txt", "-o", nodes.directory] + flags)
            let result = try JSONSerialization.jsonObject(with: Data(down.output.utf8)) as? [String: Any]
            #expect(result?["path"] as? String == nodes.directory + "/named.txt")
            #expect(result?["transferred_bytes"] as? Int == bytes.count)
            #expect(result?["resumed"] as? Bool == false)
        }
    }

    @Test("exit codes: 4 not found, 3 bad token, 2 usage (unknown option, no token), 5 checksum, 1 other failure")
    func exitCodes() async throws {
        try await ClientTestNodes.run { nodes in
            let flags = Self.endpoints(nodes)
            #expect(try await Self.uds(["download", "missing.bin", "-o", nodes.directory] + flags).status == 4)
            let badToken = [
                "--upload-url", nodes.uploadURL, "--download-url", nodes.downloadURL, "--token", nodes.token() + "x",
            ]
            #expect(try await Self.uds(["ls"] + badToken).status == 3)
            #expect(try await Self.uds(["ls", "--no-such-option"] + flags).status == 2)
            #expect(try await Self.uds(["ls", "--upload-url", nodes.uploadURL]).status == 2)
            #expect(try await Self.uds(["upload"] + flags).status == 2)
            let help = try await Self.uds(["--help"])
            #expect(help.status == 0)
            #expect(
                help.output.contains("USAGE: uds <subcommand>") && help.output.contains("130 interrupted"),
                "\(help.output)")

            let bytes = MultipartBody.randomBytes(100_000, seed: 3)
            #expect(try await Self.uds(["upload", nodes.file("k.bin", bytes)] + flags).status == 0)
            let target = nodes.directory + "/k.out"
            _ = FileManager.default.createFile(atPath: target + ".part", contents: Data(repeating: 1, count: 1000))
            try Data("\"\(Self.md5(bytes))\"".utf8).write(to: URL(fileURLWithPath: target + ".part.etag"))
            #expect(try await Self.uds(["download", "k.bin", "-o", target] + flags).status == 5)
            #expect(try await Self.uds(["upload", nodes.directory + "/no-such-file"] + flags).status == 1)
            let nowhere = [
                "--upload-url", "http://127.0.0.1:1", "--download-url", "http://127.0.0.1:1", "--token", nodes.token(),
            ]
            #expect(try await Self.uds(["ls"] + nowhere).status == 1)
        }
    }

    @Test(
        "on a terminal (script's pty) each transfer draws a bar: carriage returns, percent, rate, ETA; -j 2 draws two")
    func progressOnTerminal() async throws {
        try await ClientTestNodes.run { nodes in
            let flags = Self.endpoints(nodes) + ["--limit-rate", "4000000"]
            let one = nodes.file("p1.bin", MultipartBody.randomBytes(2_000_000, seed: 4))
            let two = nodes.file("p2.bin", MultipartBody.randomBytes(2_000_000, seed: 5))
            let command = ([Self.binary, "upload", one, two, "-j", "2"] + flags).map(Self.quoted).joined(separator: " ")
            let (status, screen) = try await ChildProcess.run("script", ["-q", "-e", "-c", command, "/dev/null"])
            #expect(status == 0, "\(screen)")
            #expect(screen.contains("\r\u{1B}[K"), "bars are redrawn in place")
            #expect(screen.contains("\u{1B}[2A"), "two bars at once: the cursor goes up two lines")
            #expect(screen.contains("%"))
            #expect(screen.contains("MiB/s") || screen.contains("KiB/s"))
            #expect(screen.contains("ETA "))
            #expect(screen.contains("p1.bin\t2000000\t"), "the results are printed too")

            let download = ([Self.binary, "download", "p1.bin", "-o", nodes.directory + "/p1.out"] + flags)
                .map(Self.quoted).joined(separator: " ")
            let (downloadStatus, downloadScreen) = try await ChildProcess.run(
                "script", ["-q", "-e", "-c", download, "/dev/null"])
            #expect(downloadStatus == 0)
            #expect(downloadScreen.contains("100%"))
            #expect(downloadScreen.components(separatedBy: "\r\u{1B}[K").count > 3, "several frames: \(downloadScreen)")
        }
    }

    @Test("Ctrl-C (SIGINT) mid-download exits 130 and keeps the partial file; the next run fetches only the rest")
    func interruptThenResume() async throws {
        try await ClientTestNodes.run { nodes in
            let bytes = MultipartBody.randomBytes(16 * 1024 * 1024, seed: 6)
            let flags = Self.endpoints(nodes)
            #expect(try await Self.uds(["upload", nodes.file("big.bin", bytes)] + flags).status == 0)
            let target = nodes.directory + "/big.out"
            let process = try ManagedProcess(
                executable: Self.binary,
                arguments: ["download", "big.bin", "-o", target, "--limit-rate", "4000000"] + flags,
                logPath: nodes.directory + "/interrupted.log")
            let grew = await eventually(timeout: .seconds(30)) { Self.size(target + ".part") > 1_000_000 }
            #expect(grew, "the partial file did not grow past 1 MB: \(process.log())")
            _ = Glibc.kill(process.pid, SIGINT)
            #expect(await process.waitForExit(timeout: 20))
            #expect(process.exitStatus == 130, "\(process.log())")
            #expect(process.log().contains("interrupted"))
            let kept = Self.size(target + ".part")
            #expect(kept > 1_000_000 && kept < bytes.count)
            #expect(!FileManager.default.fileExists(atPath: target))

            let again = try await Self.uds(["download", "big.bin", "-o", target, "--json"] + flags)
            #expect(again.status == 0)
            let result = try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any]
            #expect(result?["resumed"] as? Bool == true)
            #expect(result?["transferred_bytes"] as? Int == bytes.count - kept)
            #expect(FileManager.default.contents(atPath: target) == Data(bytes))
        }
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
