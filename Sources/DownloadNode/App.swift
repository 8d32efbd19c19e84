import Foundation
import NodeHTTP

/// `download-node`: the read-optimized daemon.
@main
struct App {
    static func main() {
        let environment = ProcessInfo.processInfo.environment
        if CommandLineHelp.isRequested(CommandLine.arguments) {
            print(CommandLineHelp.text(role: .download))
            return
        }
        let onEventLoops = DaemonEntry.wantsEventLoopExecutor(environment: environment, preferred: true)
        DaemonEntry.run(environment: environment, eventLoopExecutor: onEventLoops) {
            let parts = try await NodeMain.prepare(
                role: .download, arguments: CommandLine.arguments, environment: environment)
            let router = NodeMain.makeRouter(parts)
            let services = try DownloadNode.setUp(router: router, parts: parts)
            try await NodeMain.serve(router: router, services: services, parts: parts, environment: environment)
        }
    }
}
