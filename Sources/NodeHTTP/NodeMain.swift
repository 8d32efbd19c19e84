import Configuration
import CoreStore
import Foundation
public import Hummingbird
public import Logging
import Metrics
public import ServiceLifecycle
import UnixSignals

/// The start-up sequence both daemons share: configuration, JSON logging, metrics, backends,
/// routes, then the service group with graceful drain and systemd notifications.
public enum NodeMain {
    /// What a daemon adds to the shared skeleton.
    public struct Parts: Sendable {
        /// The node configuration.
        public let configuration: NodeConfiguration
        /// The backends.
        public let backends: NodeBackends
        /// The drain state (counts in-flight transfers).
        public let drain: DrainState
        /// The application logger.
        public let logger: Logger
        /// Descriptors the process had before it opened anything (inherited from its parent);
        /// the census logged at the stop leaves them out.
        public var inheritedDescriptors: Set<Int32> = []

        /// Bundles the parts (tests build them from embedded backends).
        public init(configuration: NodeConfiguration, backends: NodeBackends, drain: DrainState, logger: Logger) {
            self.configuration = configuration
            self.backends = backends
            self.drain = drain
            self.logger = logger
        }
    }

    /// Reads the configuration, bootstraps JSON logging and metrics, and sets up the backends.
    /// - Parameters:
    ///   - role: Which daemon.
    ///   - arguments: Process arguments.
    ///   - environment: Process environment.
    /// - Throws: ``ConfigurationError`` for an unknown `UDS_SIMD`, flag, variable or file key, or a
    ///   value that does not parse (``StrictConfiguration``); what a backend's set-up throws.
    public static func prepare(
        role: NodeConfiguration.Role, arguments: [String], environment: [String: String]
    ) async throws -> Parts {
        let inherited = OpenDescriptorCensus.openNumbers()
        guard SIMDKernels.isValidSetting(environment[simdVariable]) else {
            throw ConfigurationError(environmentVariable: simdVariable, message: "must be auto, avx2 or portable")
        }
        try StrictConfiguration.validate(arguments: arguments, environment: environment)
        let reader = try await NodeConfiguration.reader(arguments: arguments, environment: environment)
        let configuration = NodeConfiguration(role: role, config: reader)
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        MetricsRegistry.bootstrap()
        var logger = Logger(label: role.rawValue)
        logger.logLevel = level
        recordKernels(logger: logger)
        let backends = try await NodeBackends.make(
            configuration: configuration, environment: environment, logger: logger)
        var parts = Parts(configuration: configuration, backends: backends, drain: DrainState(), logger: logger)
        parts.inheritedDescriptors = inherited
        return parts
    }

    /// The environment variable that limits the vector kernels (read by CStubs before `main`).
    public static let simdVariable = "UDS_SIMD"

    /// Logs the CPU's vector features and the kernels selected, and exports them as
    /// `uds_simd_kernel{job,kernel} 1`, so a fleet's mixed instance types are visible.
    static func recordKernels(logger: Logger) {
        logger.notice(
            "simd kernels selected",
            metadata: [
                "simd.cpu": "\(SIMDKernels.cpu)", "simd.allowed": "\(SIMDKernels.allowed)",
                "simd.kernels": "\(SIMDKernels.summary)",
            ])
        let kernels = [
            ("md5", SIMDKernels.md5.rawValue), ("delimiter", SIMDKernels.delimiter), ("xxh3", SIMDKernels.xxh3),
        ]
        for (job, kernel) in kernels {
            Gauge(label: "uds_simd_kernel", dimensions: [("job", job), ("kernel", kernel)]).record(1)
        }
    }

    /// The router with the shared middleware and health routes.
    public static func makeRouter(_ parts: Parts) -> Router<NodeRequestContext> {
        NodeApplication.makeRouter(configuration: parts.configuration, readiness: readinessProbe(parts))
    }

    /// Serves until SIGTERM/SIGINT, then drains (bounded by the drain timeout) and returns.
    /// - Parameters:
    ///   - router: The router with the daemon's routes.
    ///   - services: The daemon's background services.
    ///   - parts: The node parts.
    ///   - environment: Process environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`).
    public static func serve(
        router: Router<NodeRequestContext>, services: [any Service], parts: Parts, environment: [String: String]
    ) async throws {
        let configuration = parts.configuration
        let logger = parts.logger
        let drain = parts.drain
        let notifier = SystemdNotifier(environment: environment)
        let app = try NodeApplication.makeApplication(
            router: router, configuration: configuration, services: [],
            onServerRunning: { port in
                logger.notice(
                    "listening", metadata: ["server.host": "\(configuration.host)", "server.port": "\(port)"])
                notifier.notify("READY=1\nSTATUS=serving on port \(port)")
            },
            logger: logger)
        var group = ServiceGroupConfiguration(
            // The group shuts services down in reverse order, each after the one behind it has
            // returned: the drain mark, then the HTTP server (in-flight transfers finish), then the
            // daemon's services (fills, access times, sweeper), then the backends (Redis,
            // PostgreSQL), the blocking pool last.
            services: parts.backends.services + services + [app]
                + [NodeLifecycleService(drain: drain, notifier: notifier, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(configuration.drainTimeoutSeconds)
        group.maximumCancellationDuration = nil
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await NodeLifecycleService.exitOnSecondSignal(logger: logger) }
                defer { tasks.cancelAll() }
                try await ServiceGroup(configuration: group).run()
            }
        } catch {
            guard drain.isDraining else { throw error }
            logger.warning("drain ended with an error", metadata: ["error": "\(error)"])
        }
        let census = OpenDescriptorCensus.take(
            dataDirectory: configuration.dataDirectory, excluding: parts.inheritedDescriptors)
        logger.notice(
            "stopped",
            metadata: [
                "transfers.in_flight": "\(drain.inFlightTransfers)", "open_fds.sockets": "\(census.sockets)",
                "open_fds.transfer_files": "\(census.transferFiles)",
                "open_fds.other_data_files": "\(census.otherDataFiles)", "open_fds.other": "\(census.other)",
                "open_fds.inherited": "\(parts.inheritedDescriptors.count)",
            ])
    }

    /// The readiness probe over a node's parts (spool or cache disk = the data directory).
    public static func readinessProbe(_ parts: Parts) -> ReadinessProbe {
        ReadinessProbe(
            drain: parts.drain, metadata: parts.backends.metadata, objectStore: parts.backends.objectStore,
            blobCache: parts.backends.blobCache, diskPath: parts.configuration.dataDirectory,
            minFreeBytes: parts.configuration.role == .upload ? parts.configuration.upload.spoolMinFreeBytes : 0)
    }
}
