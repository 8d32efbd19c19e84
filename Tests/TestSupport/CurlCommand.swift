import Foundation

/// Runs the `curl` command-line client (real HTTP over a socket, as users do) and captures the
/// status, body and timing. Used where Expect/100-continue and connection handling matter.
public enum CurlCommand {
    /// One curl run's result.
    public struct Result: Sendable {
        /// HTTP status (0 if no response).
        public var status: Int
        /// Response body.
        public var body: String
        /// Total seconds.
        public var seconds: Double
        /// Every response head received, including interim `100 Continue` ones.
        public var headers: String

        /// Creates a result.
        public init(status: Int, body: String, seconds: Double, headers: String) {
            self.status = status
            self.body = body
            self.seconds = seconds
            self.headers = headers
        }
    }

    /// Runs curl with `arguments` (the URL among them), bounded by `timeout` seconds; the body goes
    /// to `output` when given (then ``Result/body`` is empty).
    public static func run(_ arguments: [String], output: String? = nil, timeout: Double = 30) async throws -> Result {
        let bodyPath = output ?? IntegrationEnvironment.processRoot + "/curl-\(UUID().uuidString)"
        let headerPath = bodyPath + ".headers"
        defer {
            if output == nil { try? FileManager.default.removeItem(atPath: bodyPath) }
            try? FileManager.default.removeItem(atPath: headerPath)
        }
        let (_, summary) = try await ChildProcess.run(
            "curl",
            [
                "-sS", "--max-time", String(Int(timeout)), "-o", bodyPath, "-D", headerPath, "-w",
                "%{http_code} %{time_total}",
            ]
                + arguments)
        let fields = summary.split(separator: " ")
        let body = output == nil ? (try? String(contentsOfFile: bodyPath, encoding: .utf8)) ?? "" : ""
        let headers = (try? String(contentsOfFile: headerPath, encoding: .utf8)) ?? ""
        return Result(
            status: fields.first.flatMap { Int($0) } ?? 0, body: body,
            seconds: fields.dropFirst().first.flatMap { Double($0) } ?? 0, headers: headers)
    }
}
