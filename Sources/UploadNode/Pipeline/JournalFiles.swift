import CoreStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Writes the spool's journals (``UploadJournal``) into files kept from earlier uploads, so an
/// upload neither creates nor deletes a file for its journal.
///
/// A journal is published the way a temporary file and a `rename` publish it (a reader sees the
/// old whole journal or the new whole journal, never a mix): the new bytes go into an idle file,
/// which then takes the journal's name. What changed is where the idle file comes from:
/// - a journal that is no longer needed (``retire(_:)``) is renamed to `<random>.idle` and kept,
///   up to ``defaultCapacity`` of them, instead of deleted;
/// - a journal written over an older one swaps names with it (``LocalFileNames/exchange(_:_:)``),
///   so the older journal's file becomes idle instead of freed by the `rename`.
///
/// Why: on ext4 every new file allocates an inode, and on a file system without a journal ext4
/// skips every inode freed in the last 60 s (360 s while its inode-table block is dirty) while it
/// looks for one (`recently_deleted`). With a journal created and deleted per upload that scan
/// was 10 % of the upload node's CPU at 100 connections of 5 MiB `PUT`s (docs/decisions/0027).
///
/// Idle files are never read. The next journal written into one is padded with spaces (JSON
/// whitespace) to the idle file's length, so no stale byte survives after the new journal, and
/// start-up deletes idle files with every other leftover (``SpoolDirectory/setAsideLeftovers(logger:)``).
final class JournalFiles: Sendable {
    /// Idle files kept at most by default (each at most ``maxKeptBytes``).
    static let defaultCapacity = 1024
    /// Larger files are deleted when retired (a journal is a few hundred bytes; the resumable
    /// appender also uses the journal's name for a scratch copy of a tail).
    static let maxKeptBytes: Int64 = 4096
    /// The name suffix of an idle file.
    static let idleSuffix = ".idle"

    private let directory: String
    private let capacity: Int
    private let idle = Mutex<[IdleFile]>([])

    private struct IdleFile {
        var path: String
        var bytes: Int64
    }

    /// The journal files of the spool at `directory`, keeping at most `capacity` idle files.
    init(directory: String, capacity: Int = JournalFiles.defaultCapacity) {
        self.directory = directory
        self.capacity = capacity
    }

    /// Idle files kept right now.
    var idleCount: Int { idle.withLock { $0.count } }

    /// Publishes `contents` at `path` (replacing what is there) through an idle file.
    /// - Parameters:
    ///   - contents: The journal's bytes.
    ///   - path: The journal's name.
    ///   - durable: Whether to `fsync` the bytes before they take the name.
    /// - Throws: `.insufficientStorage` when the file cannot be written or renamed.
    func write(_ contents: [UInt8], to path: String, durable: Bool) throws(CoreStoreError) {
        let reused = idle.withLock { $0.popLast() }
        let scratch = reused?.path ?? newIdlePath()
        do {
            let file = try OpenFile(path: scratch, flags: O_WRONLY | O_CREAT, mode: PrivateFileModes.file)
            if reused == nil { PrivateFileModes.restrict(descriptor: file.descriptor) }
            let padding = max(0, Int(reused?.bytes ?? 0) - contents.count)
            let padded = contents + [UInt8](repeating: 0x20, count: padding)
            try padded.withUnsafeBytes { bytes in
                Result { () throws(FileCallError) in try file.writeAll(bytes, at: 0) }
            }.get()
            if durable { try file.sync() }
            try file.close()
        } catch {
            unlink(scratch)
            throw CoreStoreError(.insufficientStorage)
        }
        if LocalFileNames.exchange(scratch, path) == .exchanged {
            keep(scratch)
        } else if rename(scratch, path) != 0 {
            unlink(scratch)
            throw CoreStoreError(.insufficientStorage)
        }
    }

    /// The journal at `path` is no longer needed: keeps its file as an idle one (while fewer than
    /// the capacity are kept and it is small) or deletes it. Nothing happens when there is none.
    func retire(_ path: String) {
        let kept = newIdlePath()
        guard rename(path, kept) == 0 else { return }
        keep(kept)
    }

    /// Adds the idle file at `path` to those kept, or deletes it.
    private func keep(_ path: String) {
        let bytes = LocalFileNames.regularFileSize(path) ?? .max
        let kept =
            bytes <= Self.maxKeptBytes
            && idle.withLock { files in
                guard files.count < capacity else { return false }
                files.append(IdleFile(path: path, bytes: bytes))
                return true
            }
        if !kept { unlink(path) }
    }

    private func newIdlePath() -> String {
        "\(directory)/\(FileID.generate().rawValue)\(Self.idleSuffix)"
    }
}
