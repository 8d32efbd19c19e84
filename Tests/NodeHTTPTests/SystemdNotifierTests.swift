import Foundation
import NodeHTTP
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("systemd notify protocol")
struct SystemdNotifierTests {
    @Test("READY=1 reaches a NOTIFY_SOCKET datagram listener; no socket means no-op")
    func notify() async throws {
        let path = IntegrationEnvironment.processRoot + "/notify-\(UUID().uuidString.prefix(8)).sock"
        let listener = try DatagramListener(path: path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "2000000"])
        #expect(notifier.isActive)
        #expect(notifier.watchdogInterval == .seconds(2))
        #expect(notifier.notify("READY=1"))
        #expect(await listener.receive() == "READY=1")
        #expect(!SystemdNotifier(environment: [:]).notify("READY=1"))
    }

    @Test("a receiver that stops reading never blocks a send: once its queue is full datagrams are dropped")
    func fullQueueDropsInsteadOfBlocking() async throws {
        let path = IntegrationEnvironment.processRoot + "/notify-\(UUID().uuidString.prefix(8)).sock"
        let listener = try DatagramListener(path: path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        // On a thread of its own, so a send that blocks (the old behaviour) fails the test
        // instead of hanging a thread of the cooperative pool.
        let results = Mutex<[Bool]?>(nil)
        Thread.detachNewThread {
            let sent = (0..<64).map { notifier.notify("WATCHDOG=\($0)") }
            results.withLock { $0 = sent }
        }
        var finished: [Bool]?
        for _ in 0..<500 where finished == nil {
            try await Task.sleep(for: .milliseconds(10))
            finished = results.withLock { $0 }
        }
        let sent = try #require(finished, "64 sends to an unread socket did not return within 5 s")
        #expect(sent.first == true)
        #expect(sent.contains(false), "the queue holds net.unix.max_dgram_qlen datagrams, not 64")
        #expect(await listener.receive() == "WATCHDOG=0")
    }
}
