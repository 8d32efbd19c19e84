import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import UDSClient

/// `uds`: the command line of the upload/download service.
struct UDS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uds",
        abstract: "Upload, download, list, delete and share files of the upload/download service.",
        discussion: """
            Endpoints and token come from --upload-url, --download-url, --token (or UDS_UPLOAD_URL, \
            UDS_DOWNLOAD_URL, UDS_TOKEN). Exit codes: 0 ok, 1 failure, 2 usage, 3 auth (403), \
            4 not found (404), 5 checksum mismatch, 130 interrupted.
            """,
        subcommands: [
            UploadCommand.self, DownloadCommand.self, ListCommand.self, RemoveCommand.self, LinkCommand.self,
        ])
}

/// Parses, runs the command on a task that Ctrl-C cancels, and exits with the documented codes.
@main
enum Main {
    static func main() async {
        let work = Task { () async throws -> Void in
            let command: any ParsableCommand
            do { command = try UDS.parseAsRoot() } catch { throw ParseFailure(error: error) }
            if var runnable = command as? any AsyncParsableCommand {
                try await runnable.run()
            } else {
                var plain = command  // `help`: prints the help of the command it names
                do { try plain.run() } catch { throw ParseFailure(error: error) }
            }
        }
        let interrupts = Interrupts(work: work)
        let status: Int32
        do {
            try await work.value
            status = ExitStatus.ok.rawValue
        } catch let failure as ParseFailure {
            exitAfterParsing(failure.error)
        } catch let clean as CleanExit {
            exitAfterParsing(clean)
        } catch let code as ExitCode {
            status = code.rawValue
        } catch let usage as ValidationError {
            FileHandle.standardError.write(Data("uds: \(usage.message)\n".utf8))
            status = ExitStatus.usage.rawValue
        } catch {
            status = ExitStatus(error).rawValue
            if !(error is CancellationError) {
                FileHandle.standardError.write(Data("uds: \(error)\n".utf8))
            }
        }
        if interrupts.fired {
            FileHandle.standardError.write(
                Data("uds: interrupted (run a download again to resume it; uploads start over)\n".utf8))
            exit(ExitStatus.interrupted.rawValue)
        }
        exit(status)
    }

    /// Prints ArgumentParser's message and exits: 0 for help/version, 2 for usage errors.
    static func exitAfterParsing(_ error: any Error) -> Never {
        let message = UDS.fullMessage(for: error)
        let code = UDS.exitCode(for: error)
        if code == .success {
            print(message)
            exit(0)
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
    }
}

/// The command line could not be parsed (or asked for help): ArgumentParser's error, handled by ``Main/exitAfterParsing(_:)``.
struct ParseFailure: Error {
    let error: any Error
}

/// SIGINT handling: the first Ctrl-C cancels the work (transfers stop, partial downloads are kept),
/// a second one exits at once.
// @unchecked: `source` is set once in `init` and never touched again; `count` is a Mutex.
final class Interrupts: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private let count = Mutex(0)

    init(work: Task<Void, any Error>) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { self.interrupted(work) }
        source.resume()
    }

    private func interrupted(_ work: Task<Void, any Error>) {
        let seen = count.withLock { value -> Int in
            value += 1
            return value
        }
        if seen > 1 { _exit(ExitStatus.interrupted.rawValue) }
        work.cancel()
    }

    /// Whether Ctrl-C was pressed.
    var fired: Bool { count.withLock { $0 > 0 } }
}
