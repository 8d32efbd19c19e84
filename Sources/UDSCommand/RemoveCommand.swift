import ArgumentParser
import UDSClient

/// `uds rm NAME...`.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete files.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "File names to delete.")
    var names: [String]

    func run() async throws {
        let client = try global.client()
        let output = Output(json: global.json)
        var statuses: [ExitStatus] = []
        for name in names {
            do {
                try await client.delete(name: name)
                output.result(plain: name, value: ["name": name])
                statuses.append(.ok)
            } catch {
                output.error(name, error)
                statuses.append(ExitStatus(error))
                if error is CancellationError { break }
            }
        }
        throw ExitCode(ExitStatus.combined(statuses).rawValue)
    }
}
