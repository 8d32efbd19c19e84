import CoreStore
import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// How many `SIGUSR2`s the short-write test's handler caught.
private let caughtSignals = Atomic<Int>(0)

/// ``OpenFile`` and ``SystemCall``: the one owner of a local file descriptor.
@Suite("OpenFile: one owner per file descriptor", .timeLimit(.minutes(1)))
struct OpenFileTests {
    private static func scratchFile(_ name: String, contents: [UInt8] = []) -> String {
        let path = IntegrationEnvironment.temporaryDirectory("open-file") + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents))
        return path
    }

    @Test("open sets FD_CLOEXEC (a child process does not inherit the descriptor)")
    func closeOnExec() throws {
        let file = try OpenFile(path: Self.scratchFile("cloexec"), flags: O_RDONLY)
        let flags = fcntl(file.descriptor, F_GETFD)
        #expect(flags >= 0 && flags & FD_CLOEXEC != 0)
    }

    @Test("a missing file throws open's errno")
    func openFailure() {
        let path = IntegrationEnvironment.temporaryDirectory("open-file") + "/absent/file"
        #expect(throws: FileCallError(call: "open", errno: ENOENT)) { try OpenFile(path: path, flags: O_RDONLY) }
        #expect(FileCallError(call: "open", errno: ENOENT).isMissing)
    }

    @Test("the EINTR helper retries an interrupted call and throws any other errno at once")
    func interruptedCallsAreRetried() throws {
        var attempts = 0
        let result = try SystemCall.retryingInterrupted("fake") { () -> Int in
            attempts += 1
            if attempts < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(attempts == 3)

        attempts = 0
        #expect(throws: FileCallError(call: "fake", errno: EBADF)) {
            try SystemCall.retryingInterrupted("fake") { () -> Int32 in
                attempts += 1
                errno = EBADF
                return -1
            }
        }
        #expect(attempts == 1)
    }

    @Test("writeAll writes every byte when a signal cuts a blocking pipe write short")
    func shortWritesAreContinued() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let reader = OpenFile(takingOwnershipOf: ends[0])
        let writer = OpenFile(takingOwnershipOf: ends[1])
        let bytes = MultipartBody.randomBytes(1 << 20, seed: 71)  // 16 times the 64 KiB pipe
        // A handler, so the signal interrupts the write instead of killing the process.
        let previous = signal(SIGUSR2) { _ in caughtSignals.add(1, ordering: .relaxed) }
        let caughtBefore = caughtSignals.load(ordering: .relaxed)
        defer { signal(SIGUSR2, previous) }

        let writerThread = Mutex<pthread_t?>(nil)
        let outcome = Mutex<Result<Void, FileCallError>?>(nil)
        let thread = Thread {
            // Threads made from the concurrency pool's inherit its mask, which blocks signals.
            var unblocked = sigset_t()
            sigemptyset(&unblocked)
            sigaddset(&unblocked, SIGUSR2)
            pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
            writerThread.withLock { $0 = pthread_self() }
            let result = bytes.withUnsafeBytes { raw in Result { () throws(FileCallError) in try writer.writeAll(raw) }
            }
            outcome.withLock { $0 = result }
            try? writer.close()  // the reader then sees the end of the stream
        }
        thread.start()

        // Once the pipe is full the writer is blocked inside its first write, which has written
        // 64 KiB; the signal makes that write return 64 KiB (a short write).
        let deadline = ContinuousClock.now + .seconds(20)
        var full = false
        while !full && ContinuousClock.now < deadline {
            var poller = pollfd(fd: ends[1], events: Int16(POLLOUT), revents: 0)
            full = writerThread.withLock { $0 } != nil && poll(&poller, 1, 10) == 0
        }
        try #require(full, "the pipe filled up")
        let target = try #require(writerThread.withLock { $0 })
        #expect(pthread_kill(target, SIGUSR2) == 0)

        // Read to the end of the stream (the writer closes its end), within a deadline: a writer
        // that stopped early and did not close must fail the test, not hang it.
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let readDeadline = ContinuousClock.now + .seconds(20)
        reading: while ContinuousClock.now < readDeadline {
            var readable = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
            guard poll(&readable, 1, 100) == 1 else { continue }
            let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { break reading }
            received += chunk[0..<count]
        }
        #expect(caughtSignals.load(ordering: .relaxed) > caughtBefore, "the signal reached the blocked writer")
        #expect(received.count == bytes.count)
        let identical = received == bytes  // not inside #expect: a failure would diff 1 MiB arrays
        #expect(identical, "the bytes arrived whole and in order")
        let result = try #require(outcome.withLock { $0 })
        #expect(throws: Never.self) { try result.get() }
    }

    @Test("writeAll(at:) and readFully(at:) use the offsets; readFully stops at the end of the file")
    func positionedWriteAndRead() throws {
        let file = try OpenFile(path: Self.scratchFile("positioned"), flags: O_RDWR)
        let bytes: [UInt8] = Array(0..<100)
        try bytes.withUnsafeBytes { try file.writeAll($0, at: 50) }
        var back = [UInt8](repeating: 0xFF, count: 200)
        let count = try back.withUnsafeMutableBytes { space in
            try file.readFully(into: space, at: 40)
        }
        #expect(count == 110)
        #expect(Array(back[0..<10]) == [UInt8](repeating: 0, count: 10), "the hole before offset 50 reads as zeros")
        #expect(Array(back[10..<110]) == bytes)
    }

    @Test("sync throws fsync's errno (a pipe cannot be synced)")
    func syncFailureThrows() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let reader = OpenFile(takingOwnershipOf: ends[0])
        _ = OpenFile(takingOwnershipOf: ends[1])
        #expect(throws: FileCallError(call: "fsync", errno: EINVAL)) { try reader.sync() }
        let regular = try OpenFile(path: Self.scratchFile("synced"), flags: O_WRONLY)
        #expect(throws: Never.self) { try regular.sync() }
    }

    /// What descriptor `number` refers to (`nil` when it is not open). Other tests open files in
    /// parallel and may be given a number this test closed, so checks compare targets, not numbers.
    private static func target(of number: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(number)")
    }

    @Test("close closes once: a second close and the owner's end leave a reused descriptor number open")
    func closesExactlyOnce() throws {
        let path = Self.scratchFile("close-once")
        let otherPath = Self.scratchFile("close-once-reused")
        var first: OpenFile? = try OpenFile(path: path, flags: O_RDONLY)
        let number = try #require(first?.descriptor)
        try first?.close()
        #expect(first?.isClosed == true)
        #expect(Self.target(of: number).map { $0.hasSuffix("/close-once") } != true, "the explicit close closed it")
        // The next open gets the lowest free number: normally the one just closed.
        let reused = open(otherPath, O_RDONLY | O_CLOEXEC)
        try #require(reused >= 0)
        defer { close(reused) }
        #expect(throws: Never.self) { try first?.close() }
        #expect(
            Self.target(of: reused).map { $0.hasSuffix("/close-once-reused") } == true,
            "a second close did not close it")
        first = nil
        #expect(
            Self.target(of: reused).map { $0.hasSuffix("/close-once-reused") } == true,
            "the owner's end did not close it")
    }

    @Test("the owner's end closes a descriptor that was not closed explicitly")
    func deinitCloses() throws {
        var file: OpenFile? = try OpenFile(path: Self.scratchFile("owner-end"), flags: O_RDONLY)
        let number = try #require(file?.descriptor)
        #expect(Self.target(of: number).map { $0.hasSuffix("/owner-end") } == true)
        file = nil
        #expect(Self.target(of: number).map { $0.hasSuffix("/owner-end") } != true)
    }

    @Test("a full disk maps to INSUFFICIENT_STORAGE, anything else to the caller's code")
    func errorMapping() {
        #expect(
            FileCallError(call: "write", errno: ENOSPC).coreStoreError(otherwise: .internalError).code
                == .insufficientStorage)
        #expect(
            FileCallError(call: "write", errno: EDQUOT).coreStoreError(otherwise: .internalError).code
                == .insufficientStorage)
        #expect(
            FileCallError(call: "write", errno: EIO).coreStoreError(otherwise: .internalError).code == .internalError)
    }
}
