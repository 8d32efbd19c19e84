import ArgumentParser
import UDSClient

/// `uds link NAME [--expires SECONDS]`.
struct LinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Make a download link anyone holding it can use until it expires; prints its URL.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "File name.")
    var name: String

    @Option(help: "Validity in seconds (default: the download node's).")
    var expires: Int?

    func run() async throws {
        let client = try global.client()
        let output = Output(json: global.json)
        do {
            let link = try await client.link(name: name, expiresIn: expires)
            output.result(plain: link.url, value: link)
        } catch {
            output.error(name, error)
            throw ExitCode(ExitStatus(error).rawValue)
        }
    }
}
