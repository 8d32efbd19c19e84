#if canImport(Glibc)
    import Glibc
#endif

/// The one place a blocking system call on a local file is retried when a signal interrupts it
/// (`EINTR`), the way NIOPosix funnels its calls through one `syscall` wrapper: every
/// ``OpenFile`` call goes through it, so no caller writes its own retry loop.
public enum SystemCall {
    /// Runs `body` until it returns something other than -1 with `errno == EINTR`.
    /// - Parameters:
    ///   - name: The call's name, for the error.
    ///   - body: One attempt of the call: returns -1 and sets `errno` on failure.
    /// - Returns: What the successful attempt returned.
    /// - Throws: ``FileCallError`` with the `errno` of a failure other than `EINTR`.
    @inline(__always)
    public static func retryingInterrupted<Result: FixedWidthInteger & SignedInteger>(
        _ name: StaticString, _ body: () -> Result
    ) throws(FileCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let number = errno
            if number == EINTR { continue }
            throw FileCallError(call: "\(name)", errno: number)
        }
    }
}
