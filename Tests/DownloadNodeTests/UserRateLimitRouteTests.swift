import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@Suite("download-node per-user request rate")
struct UserRateLimitRouteTests {
    @Test("past its burst a user gets 429 RATE_LIMITED with Retry-After: 1; another user is served")
    func overTheBurst() async throws {
        let parts = try await TestNode.parts(role: .download) {
            $0.userRequestsPerSecond = 0.001
            $0.userRequestBurst = 2
        }
        let app = try makeDownloadApp(parts)
        try await app.test(.router) { client in
            for attempt in 1...3 {
                try await client.execute(
                    uri: "/upload_download_service/users/alice/files", method: .get,
                    headers: [.authorization: TestNode.bearer("alice")]
                ) { response in
                    if attempt <= 2 {
                        #expect(response.status == .ok, "request \(attempt)")
                    } else {
                        #expect(response.status == .tooManyRequests)
                        #expect(response.headers[.retryAfter] == "1")
                        #expect(String(buffer: response.body).contains("RATE_LIMITED"))
                    }
                }
            }
            try await client.execute(
                uri: "/upload_download_service/users/bob/files", method: .get,
                headers: [.authorization: TestNode.bearer("bob")]
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
