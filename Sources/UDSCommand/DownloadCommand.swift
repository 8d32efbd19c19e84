import ArgumentParser
import Foundation
import UDSClient

/// `uds download NAME... [-o PATH] [-j N]`.
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download files; an interrupted download resumes from its .part file on the next run.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "File names to download.")
    var names: [String]

    @Option(
        name: .shortAndLong, help: "Destination: a file (one NAME) or a directory (default: the current directory).")
    var output: String?

    @Option(name: .customShort("j"), help: "Transfers at once.")
    var jobs = 1

    func validate() throws {
        if jobs < 1 { throw ValidationError("-j must be at least 1") }
    }

    /// Where `name` goes: into the `-o` directory, to the `-o` file (one name), or into the current directory.
    func destination(for name: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard let output else { return FileManager.default.currentDirectoryPath + "/" + name }
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            return output + "/" + name
        }
        guard names.count == 1 else { throw ValidationError("-o must be an existing directory for several names") }
        return output
    }

    func run() async throws {
        let client = try global.client()
        let printer = Output(json: global.json)
        let targets = try names.map { ($0, try destination(for: $0)) }
        let statuses = await Transfers.run(targets, limit: jobs) { target in
            let (name, path) = target
            do {
                let result = try await client.download(name: name, to: path, progress: printer.progress(for: name))
                printer.finished(name)
                printer.result(
                    plain: "\(result.path)\t\(result.size)\t\(result.md5)",
                    value: DownloadRecord(
                        name: result.name, path: result.path, size: result.size, md5: result.md5,
                        transferredBytes: result.transferredBytes, resumed: result.resumed))
                return .ok
            } catch {
                printer.finished(name)
                printer.error(name, error)
                return ExitStatus(error)
            }
        }
        throw ExitCode(ExitStatus.combined(statuses).rawValue)
    }
}

/// A download's JSON line.
struct DownloadRecord: Encodable {
    let name: String
    let path: String
    let size: Int64
    let md5: String
    let transferredBytes: Int64
    let resumed: Bool

    enum CodingKeys: String, CodingKey {
        case name, path, size, md5, resumed
        case transferredBytes = "transferred_bytes"
    }
}
