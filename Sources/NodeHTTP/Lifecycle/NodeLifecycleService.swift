import Foundation
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import UnixSignals

/// Drain and systemd integration: on the first SIGTERM/SIGINT the node reports `STOPPING=1`,
/// turns `/readyz` to 503 and lets in-flight transfers finish (the service group's graceful
/// shutdown, bounded by the drain timeout); a second signal exits at once with status 0
/// (``exitOnSecondSignal(logger:)``).
/// While running, it pings the systemd watchdog from an event loop, so a wedged loop stops the pings.
public struct NodeLifecycleService: Service {
    let drain: DrainState
    let notifier: SystemdNotifier
    let logger: Logger

    /// Creates the service.
    public init(drain: DrainState, notifier: SystemdNotifier, logger: Logger) {
        self.drain = drain
        self.notifier = notifier
        self.logger = logger
    }

    /// Runs until graceful shutdown begins, then marks the node draining.
    public func run() async throws {
        let watchdog = startWatchdog()
        defer { watchdog?.cancel() }
        try? await gracefulShutdown()
        drain.beginDraining()
        notifier.notify("STOPPING=1")
        logger.notice("draining", metadata: ["transfers.in_flight": "\(drain.inFlightTransfers)"])
    }

    /// Exits the process at once with status 0 on the second SIGTERM/SIGINT (the first starts the
    /// drain); returns when cancelled. ``NodeMain`` runs it beside the service group and cancels
    /// it once the group has returned, so no task outlives the shutdown.
    /// - Parameter logger: Where the early exit is logged.
    public static func exitOnSecondSignal(logger: Logger) async {
        var signals = 0
        for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
            signals += 1
            if signals >= 2 {
                logger.warning("second signal, exiting now")
                exit(0)
            }
        }
    }

    private func startWatchdog() -> RepeatedTask? {
        guard let interval = notifier.watchdogInterval else { return nil }
        let notifier = self.notifier
        let half = interval / 2
        let nanos = Int64(half.components.seconds) * 1_000_000_000 + Int64(half.components.attoseconds / 1_000_000_000)
        return MultiThreadedEventLoopGroup.singleton.next().scheduleRepeatedTask(
            initialDelay: .zero, delay: .nanoseconds(nanos)
        ) { _ in
            notifier.notify("WATCHDOG=1")
        }
    }
}
