import NodeHTTP
import Testing

@Suite("daemon entry")
struct DaemonEntryTests {
    @Test("UDS_EVENT_LOOP_EXECUTOR=0/1 overrides the daemon's preference; anything else keeps it")
    func eventLoopExecutorSwitch() {
        for preferred in [true, false] {
            #expect(DaemonEntry.wantsEventLoopExecutor(environment: [:], preferred: preferred) == preferred)
            #expect(
                DaemonEntry.wantsEventLoopExecutor(
                    environment: ["UDS_EVENT_LOOP_EXECUTOR": "yes"], preferred: preferred)
                    == preferred)
            #expect(
                !DaemonEntry.wantsEventLoopExecutor(environment: ["UDS_EVENT_LOOP_EXECUTOR": "0"], preferred: preferred)
            )
            #expect(
                DaemonEntry.wantsEventLoopExecutor(environment: ["UDS_EVENT_LOOP_EXECUTOR": "1"], preferred: preferred))
        }
    }
}
