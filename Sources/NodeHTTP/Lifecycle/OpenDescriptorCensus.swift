import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process's open file descriptors by kind, read from `/proc/self/fd`: what a node logs when
/// it has stopped, so a test (or an operator) sees that the shutdown left no connection and no
/// spool, cache or object file open.
public struct OpenDescriptorCensus: Sendable, Equatable {
    /// Sockets (client connections, the listener, Redis and PostgreSQL connections).
    public var sockets = 0
    /// Files under the data directory's `spool`, `cache` and `objects` folders (transfers, fills).
    public var transferFiles = 0
    /// Other files under the data directory (the SQLite database, which its store closes when the
    /// process ends).
    public var otherDataFiles = 0
    /// Everything else except standard input, output and error: the runtime's epoll, eventfd and
    /// timerfd descriptors, pipes, files outside the data directory.
    public var other = 0

    /// Creates an empty census.
    public init() {}

    /// The numbers of the descriptors open now, for ``take(dataDirectory:excluding:fdDirectory:)``
    /// at the end: what the process inherited from its parent (a test runner's sockets, say) is
    /// not the node's to close.
    /// - Parameter fdDirectory: The directory of descriptor links.
    public static func openNumbers(fdDirectory: String = "/proc/self/fd") -> Set<Int32> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? []
        return Set(names.compactMap { Int32($0) })
    }

    /// Counts the descriptors listed in `fdDirectory` (default `/proc/self/fd`), skipping 0, 1, 2
    /// and the numbers in `excluding`.
    /// - Parameters:
    ///   - dataDirectory: The node's data directory.
    ///   - excluding: Descriptors not to count (those inherited at start, ``openNumbers(fdDirectory:)``).
    ///   - fdDirectory: The directory of descriptor links.
    public static func take(
        dataDirectory: String, excluding: Set<Int32> = [], fdDirectory: String = "/proc/self/fd"
    ) -> OpenDescriptorCensus {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? []
        var census = OpenDescriptorCensus()
        let data = URL(fileURLWithPath: dataDirectory).standardizedFileURL.resolvingSymlinksInPath().path + "/"
        for name in names {
            guard let number = Int32(name), number > 2, !excluding.contains(number) else { continue }
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: fdDirectory + "/" + name)
            else { continue }  // the directory listing's own descriptor, closed meanwhile
            census.count(target: target, dataDirectory: data)
        }
        return census
    }

    /// Counts one descriptor by the target of its `/proc/self/fd` link.
    /// - Parameters:
    ///   - target: The link's target (`socket:[123]`, a path, `anon_inode:[eventpoll]`).
    ///   - dataDirectory: The data directory, ending in `/`.
    mutating func count(target: String, dataDirectory: String) {
        if target.hasPrefix("socket:") {
            sockets += 1
        } else if target.hasPrefix(dataDirectory) {
            let inside = target.dropFirst(dataDirectory.count)
            let folder = inside.split(separator: "/").first.map(String.init) ?? ""
            if ["spool", "cache", "objects"].contains(folder) { transferFiles += 1 } else { otherDataFiles += 1 }
        } else {
            other += 1
        }
    }
}
