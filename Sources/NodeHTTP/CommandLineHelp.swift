/// The `--help` text of both daemons (the full key list lives in docs/configuration.md).
public enum CommandLineHelp {
    /// Whether the arguments ask for help (`--help` or `-h`).
    public static func isRequested(_ arguments: [String]) -> Bool {
        arguments.dropFirst().contains { $0 == "--help" || $0 == "-h" }
    }

    /// The usage text for a daemon.
    public static func text(role: NodeConfiguration.Role) -> String {
        let name = role == .upload ? "upload-node" : "download-node"
        let extra =
            role == .upload
            ? "\n  \(name) dev-token --user ID [--data-dir DIR] [--ttl SECONDS]\n      print an HS256 token for local use\n"
            : ""
        return """
            usage: \(name) [--KEY VALUE ...]
            \(extra)
            Runs on embedded defaults with no configuration (objects in <data-dir>/objects, SQLite
            metadata, no Redis). Every setting is a key given as a flag (--max-upload-bytes 1048576),
            an environment variable (UDS_MAX_UPLOAD_BYTES=1048576) or a JSON file (--config-file PATH);
            flags win over the environment, which wins over the file.

            Keys (flag, environment variable, default: meaning); unknown flags, variables or file
            keys and values that do not parse stop the node with exit status 2:
            \(keyList)

            Longer descriptions: docs/configuration.md
            """
    }

    /// One entry per key of ``ConfigurationKeys/all``.
    static var keyList: String {
        ConfigurationKeys.all.map { key in
            "  \(key.flag) (\(key.environmentVariable)), default \(key.defaultValue): \(key.summary); \(key.accepted)"
        }.joined(separator: "\n")
    }
}
