import Foundation
import NodeHTTP
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite("systemd notify protocol")
struct SystemdNotifierTests {
    @Test("READY=1 reaches a NOTIFY_SOCKET datagram listener; no socket means no-op")
    func notify() async throws {
        let path = NSTemporaryDirectory() + "notify-\(UUID().uuidString.prefix(8)).sock"
        let listener = try DatagramListener(path: path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "2000000"])
        #expect(notifier.isActive)
        #expect(notifier.watchdogInterval == .seconds(2))
        #expect(notifier.notify("READY=1"))
        #expect(await listener.receive() == "READY=1")
        #expect(!SystemdNotifier(environment: [:]).notify("READY=1"))
    }
}

