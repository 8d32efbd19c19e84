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

            Common keys:
              --host ADDR              listen address (default 127.0.0.1)
              --port N                 listen port
              --data-dir DIR           objects, metadata, spool, cache, dev secret
              --log-level LEVEL        trace, debug, info, notice, warning, error
              --s3-endpoint URL        use S3 (with --s3-bucket, credentials from the environment or IMDS)
              --redis-url URL          redis://host:port
              --metadata-urls URLS     PostgreSQL metadata: postgres://user@host:5432/db[?sslmode=...],
                                       several comma-separated URLs shard users over the databases
              --auth-jwks-url URL      verify RS256/ES256 tokens (Cognito) instead of the local HS256 secret
              --config-file PATH       read keys from a JSON file

            All keys, defaults and meanings: docs/configuration.md
            """
    }
}
