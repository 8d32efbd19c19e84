/// Where and how to reach an S3-compatible object store (AWS S3, SeaweedFS, MinIO, Ceph RGW).
public struct S3Configuration: Sendable {
    /// How the bucket appears in request URLs.
    public enum AddressingStyle: String, Sendable {
        /// `https://endpoint/bucket/key` (SeaweedFS, MinIO).
        case path
        /// `https://bucket.endpoint/key` (AWS's default).
        case virtualHost
    }

    /// Where credentials come from.
    public enum CredentialsSource: Sendable {
        /// Fixed keys (tests, on-premises stores).
        case `static`(accessKey: String, secretKey: String, sessionToken: String? = nil)
        /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` from the environment
        /// dictionary the application hands to ``S3ObjectStore``.
        case environment
        /// The EC2 instance role via IMDSv2, refreshed 5 minutes before expiry.
        case instanceMetadata(endpoint: String = "http://169.254.169.254")
        /// ``environment`` when `AWS_ACCESS_KEY_ID` is set in the environment dictionary the
        /// application hands to ``S3ObjectStore``, else ``instanceMetadata(endpoint:)`` (the
        /// nodes' choice when no keys are configured).
        case automatic

        /// The source this one stands for in `environment` (only ``automatic`` changes).
        /// - Parameter environment: The process environment as the application read it.
        public func resolved(environment: [String: String]) -> CredentialsSource {
            guard case .automatic = self else { return self }
            return environment["AWS_ACCESS_KEY_ID"] != nil ? .environment : .instanceMetadata()
        }
    }

    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:8333` or `https://s3.eu-west-1.amazonaws.com`.
    public var endpoint: String
    /// Signing region, e.g. `us-east-1`.
    public var region: String
    /// Bucket name.
    public var bucket: String
    /// Path or virtual-host style URLs.
    public var addressingStyle: AddressingStyle
    /// Where credentials come from.
    public var credentials: CredentialsSource
    /// Attempts per request, including the first, for retryable failures.
    public var maxAttempts: Int
    /// Base of the exponential backoff in seconds (full jitter).
    public var baseBackoff: Double
    /// Upper bound of one backoff sleep in seconds.
    public var maxBackoff: Double
    /// Seconds allowed for connecting.
    public var connectTimeout: Double
    /// A transfer slower than ``lowSpeedLimit`` bytes/s for this many seconds fails (and is retried).
    public var lowSpeedTime: Int
    /// See ``lowSpeedTime``.
    public var lowSpeedLimit: Int
    /// Seconds a readiness check (``S3ObjectStore/checkReachable()``) may take in all (default 2).
    public var probeTimeout: Double = 2
    /// At most this many requests are in flight to the store at once (per ``S3ObjectStore``).
    public var maxConcurrentRequests: Int
    /// When set, readiness lists one key under `<prefix>/` instead of HEADing the bucket, so a
    /// policy that limits `s3:ListBucket` to the service's prefix still passes the probe.
    public var readinessPrefix: String?
    /// Whether the application creates the bucket at start-up when it is missing
    /// (``S3ObjectStore/ensureBucket()``; tests, a local SeaweedFS). Default `false`.
    public var createBucket: Bool = false

    /// Creates a configuration; every tuning knob has a default.
    /// - Parameters:
    ///   - endpoint: Base URL without a trailing slash.
    ///   - region: Signing region.
    ///   - bucket: Bucket name.
    ///   - addressingStyle: Path (default) or virtual-host style.
    ///   - credentials: Credential source (default: the environment).
    ///   - maxAttempts: Attempts per request (default 4).
    ///   - baseBackoff: Backoff base in seconds (default 0.1).
    ///   - maxBackoff: Longest single backoff in seconds (default 5).
    ///   - connectTimeout: Connect timeout in seconds (default 3).
    ///   - lowSpeedTime: Stall timeout in seconds (default 20).
    ///   - lowSpeedLimit: Bytes/s below which a transfer counts as stalled (default 1024).
    ///   - maxConcurrentRequests: Concurrency limit towards the store (default 64).
    public init(
        endpoint: String,
        region: String = "us-east-1",
        bucket: String,
        addressingStyle: AddressingStyle = .path,
        credentials: CredentialsSource = .environment,
        maxAttempts: Int = 4,
        baseBackoff: Double = 0.1,
        maxBackoff: Double = 5,
        connectTimeout: Double = 3,
        lowSpeedTime: Int = 20,
        lowSpeedLimit: Int = 1024,
        maxConcurrentRequests: Int = 64
    ) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.region = region
        self.bucket = bucket
        self.addressingStyle = addressingStyle
        self.credentials = credentials
        self.maxAttempts = max(1, maxAttempts)
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.connectTimeout = connectTimeout
        self.lowSpeedTime = lowSpeedTime
        self.lowSpeedLimit = lowSpeedLimit
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
    }

    /// The regional AWS S3 endpoint, e.g. `https://s3.eu-west-1.amazonaws.com`.
    /// - Parameter region: The AWS region.
    public static func awsEndpoint(region: String) -> String {
        "https://s3.\(region).amazonaws.com"
    }
}
