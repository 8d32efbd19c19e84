public import Configuration
public import CoreStore

extension S3Configuration {
    /// Reads the `s3.*` keys, or returns `nil` when `endpoint` is not set (the node then keeps
    /// objects on its own disk).
    ///
    /// Keys: `endpoint`, `region` (`us-east-1`), `bucket` (`uploads`), `addressingStyle` (`path`;
    /// `virtual` selects virtual-host URLs), `accessKey`, `secretKey` and `sessionToken` (secrets),
    /// `createBucket` (`false`), `maxConcurrentRequests` (64). Without both keys the credentials
    /// are ``CredentialsSource/automatic``: the `AWS_*` variables, else the EC2 instance role.
    /// - Parameter config: The reader scoped to `s3` (`config.scoped(to: "s3")`).
    public init?(config: ConfigReader) {
        guard let endpoint = config.string(forKey: "endpoint").nonEmpty else { return nil }
        let accessKey = config.string(forKey: "accessKey").nonEmpty
        let secretKey = config.string(forKey: "secretKey", isSecret: true).nonEmpty
        let credentials: CredentialsSource =
            if let accessKey, let secretKey {
                .static(
                    accessKey: accessKey, secretKey: secretKey,
                    sessionToken: config.string(forKey: "sessionToken", isSecret: true).nonEmpty)
            } else {
                .automatic
            }
        self.init(
            endpoint: endpoint,
            region: config.string(forKey: "region", default: "us-east-1"),
            bucket: config.string(forKey: "bucket", default: "uploads"),
            addressingStyle: config.string(forKey: "addressingStyle", default: "path") == "virtual"
                ? .virtualHost : .path,
            credentials: credentials,
            maxConcurrentRequests: config.int(forKey: "maxConcurrentRequests", default: 64))
        createBucket = config.bool(forKey: "createBucket", default: false)
    }
}
