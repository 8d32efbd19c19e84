import Foundation

/// What an upload node's spool folder holds for uploads, as the leak checks of the tests see it.
public enum SpoolListing {
    /// The suffix of the idle journal files the node keeps for reuse (`JournalFiles.idleSuffix`
    /// in UploadNode): they belong to no upload, at most 1024 of a few hundred bytes each.
    public static let idleSuffix = ".idle"

    /// The entries of the spool folder at `path` that belong to an upload (bodies, journals,
    /// journals set aside): every entry except idle journal files; empty when the folder is missing.
    public static func uploadEntries(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasSuffix(idleSuffix) }
    }

    /// The idle journal files in the spool folder at `path`.
    public static func idleEntries(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(idleSuffix) }
    }
}
