import ArgumentParser
import UDSClient

/// `uds ls [--json]`.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List your files, newest first: size, created_at and name per line.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Entries fetched per request (1-1000).")
    var pageSize = 1000

    func run() async throws {
        let client = try global.client()
        let output = Output(json: global.json)
        do {
            for try await page in client.list(pageSize: pageSize) {
                for file in page.files {
                    output.result(plain: "\(file.size)\t\(file.createdAt)\t\(file.name)", value: file)
                }
            }
        } catch {
            output.error("ls", error)
            throw ExitCode(ExitStatus(error).rawValue)
        }
    }
}
