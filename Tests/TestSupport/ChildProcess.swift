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
    public static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let outputPath = NSTemporaryDirectory() + "child-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        let path = ManagedProcess.resolve(executable) ?? executable
        let pid = try spawn(path, arguments, stdoutPath: outputPath)
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

    /// Starts the child with stdout to `stdoutPath` and the runner's environment; every signal
    /// back to its default and unblocked (see ``PosixSpawn``).
    private static func spawn(_ path: String, _ arguments: [String], stdoutPath: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv = ([path] + arguments).map { strdup($0) } + [nil]
        var envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw ContractViolation(description: "posix_spawn \(path) failed: \(result)", location: #fileID)
        }
        return pid
    }
}
