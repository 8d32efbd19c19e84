import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a short-lived command (curl, initdb, psql, a node's `dev-token`) and awaits it.
///
/// Spawned with `posix_spawn` and reaped by a blocking `waitpid` for exactly that PID on a
/// thread of its own, never on Swift's cooperative pool (as small as the core count: a blocked
/// thread there can starve the server the command talks to). Foundation's `Process` was used
/// before and, with many children starting at once, sometimes never reported an exit: the test
/// run hung on a zombie `initdb`.
public enum ChildProcess {
    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`; returns its exit
    /// status (128 + signal when killed) and standard output. Standard input and error are /dev/null.
    public static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String)
    {
        let outputPath = IntegrationEnvironment.processRoot + "/child-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        let path = ManagedProcess.resolve(executable) ?? executable
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let pid = try PosixSpawn.spawn(path, arguments, environment: environment, stdoutPath: outputPath)
        let status: Int32 = await withCheckedContinuation { continuation in
            let reaper = Thread {
                var raw: Int32 = 0
                while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
                let exited = raw & 0x7f == 0
                continuation.resume(returning: exited ? (raw >> 8) & 0xff : 128 + (raw & 0x7f))
            }
            reaper.name = "child-reaper"
            reaper.start()
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (status, text)
    }
}
