import Foundation
import NodeHTTP

/// `upload-node`: the write-optimized daemon. `upload-node dev-token --user ID` prints a token.
@main
struct App {
    static func main() {
        let arguments = CommandLine.arguments
        let environment = ProcessInfo.processInfo.environment
        if CommandLineHelp.isRequested(arguments) {
            print(CommandLineHelp.text(role: .upload))
            return
        }
        let onEventLoops = DaemonEntry.wantsEventLoopExecutor(environment: environment, preferred: false)
        DaemonEntry.run(environment: environment, eventLoopExecutor: onEventLoops) {
            if arguments.dropFirst().first == "dev-token" {
                try await DevTokenCommand.run(arguments: Array(arguments.dropFirst()), environment: environment)
                return
            }
            let parts = try await NodeMain.prepare(role: .upload, arguments: arguments, environment: environment)
            let router = NodeMain.makeRouter(parts)
            let services = try await UploadNode.setUp(router: router, parts: parts)
            try await NodeMain.serve(router: router, services: services, parts: parts, environment: environment)
        }
    }
}
