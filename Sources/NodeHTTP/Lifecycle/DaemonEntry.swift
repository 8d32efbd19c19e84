import CoreStore
import Foundation
import NIOCore
import NIOPosix

/// How a daemon's `main` starts its async work, and on which threads Swift Concurrency runs it.
///
/// With ``run(eventLoopExecutor:_:)`` given `true`, NIO's event loops become Swift
/// Concurrency's global executor before any task starts, so a request handler runs on the
/// thread that owns its connection: no hop to the cooperative pool and back per response part,
/// fewer context switches. download-node serves cache hits with it (docs/decisions/0012): 0.92×
/// nginx at 100 connections instead of 0.83× in paired hand runs. Blocking work must then stay
/// off the async code paths (the node runs SQLite, hiredis and libcurl on its `BlockingPool`).
public enum DaemonEntry {
    /// The environment variable that turns the event-loop executor off (`0`); read before
    /// anything else, so it is not one of the configuration keys.
    public static let eventLoopExecutorVariable = "UDS_EVENT_LOOP_EXECUTOR"

    /// Whether the event-loop executor is wanted: `preferred` unless the environment says `0` or `1`.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - preferred: The daemon's default.
    public static func wantsEventLoopExecutor(environment: [String: String], preferred: Bool) -> Bool {
        switch environment[eventLoopExecutorVariable] {
        case "0": false
        case "1": true
        default: preferred
        }
    }

    /// Runs `body` to completion and exits the process (status 2 after printing a
    /// ``ConfigurationError``, 1 after printing any other thrown error).
    /// Call from a synchronous `main` on the main thread, once. Malloc is tuned first
    /// (``MallocTuning``), before any thread has made an arena.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - eventLoopExecutor: Install NIO's event loops as the global executor first.
    ///   - body: The daemon.
    public static func run(
        environment: [String: String], eventLoopExecutor: Bool, _ body: @escaping @Sendable () async throws -> Void
    ) -> Never {
        MallocTuning.apply(environment: environment, cores: ProcessInfo.processInfo.activeProcessorCount)
        if eventLoopExecutor {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        Task {
            do {
                try await body()
                exit(0)
            } catch let error as ConfigurationError {
                FileHandle.standardError.write(Data("fatal: \(error)\n".utf8))
                exit(2)
            } catch {
                FileHandle.standardError.write(Data("fatal: \(error)\n".utf8))
                exit(1)
            }
        }
        dispatchMain()
    }
}
