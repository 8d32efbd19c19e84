import ArgumentParser
import Foundation
import UDSClient

/// `uds upload PATH... [--name NAME] [-j N]`.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Upload files (an existing name is replaced).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files to upload.")
    var paths: [String]

    @Option(help: "Stored name (only with one PATH; default: the file's name).")
    var name: String?

    @Option(name: .customShort("j"), help: "Transfers at once.")
    var jobs = 1

    @Option(help: "Content type stored with the files.")
    var contentType = "application/octet-stream"

    func validate() throws {
        if name != nil && paths.count != 1 { throw ValidationError("--name needs exactly one PATH") }
        if jobs < 1 { throw ValidationError("-j must be at least 1") }
    }

    func run() async throws {
        let client = try global.client()
        let output = Output(json: global.json)
        let (name, contentType) = (self.name, self.contentType)
        let statuses = await Transfers.run(paths, limit: jobs) { path in
            let stored = name ?? URL(fileURLWithPath: path).lastPathComponent
            do {
                let file = try await client.upload(
                    file: path, name: stored, contentType: contentType, progress: output.progress(for: stored))
                output.finished(stored)
                output.result(plain: "\(file.name)\t\(file.size)\t\(file.md5)", value: file)
                return .ok
            } catch {
                output.finished(stored)
                output.error(path, error)
                return ExitStatus(error)
            }
        }
        throw ExitCode(ExitStatus.combined(statuses).rawValue)
    }
}
