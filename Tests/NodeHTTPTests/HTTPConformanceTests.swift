import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

/// RFC 9112 framing and persistence over a real socket, with hand-made requests.
@Suite("HTTP/1 conformance over a raw socket")
struct HTTPConformanceTests {
    func makeApp(origins: [String] = []) async throws -> some ApplicationProtocol {
        let parts = try await TestNode.parts(role: .download) { $0.corsAllowedOrigins = origins }
        let router = NodeApplication.makeRouter(
            configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
        router.post("/echo") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            return Response(status: .ok, body: .init(byteBuffer: bytes))
        }
        return try NodeApplication.makeApplication(
            router: router, configuration: parts.configuration, services: [], logger: parts.logger)
    }

    /// Checks a channel-level rejection: the JSON error, an `X-Request-Id`, `Connection: close`, closed.
    func expectRejected(
        _ exchange: RawHTTPExchange, status: Int, code: String, requestID: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(exchange.responses.count == 1, "\(exchange.responses.map(\.status))", sourceLocation: sourceLocation)
        let response = try #require(exchange.responses.first, sourceLocation: sourceLocation)
        #expect(response.status == status, sourceLocation: sourceLocation)
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
        #expect(json?["code"] == code, "\(response.text)", sourceLocation: sourceLocation)
        #expect(json?["error"]?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(response.header("content-type") == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        let id = response.header("x-request-id")
        #expect(id?.isEmpty == false, sourceLocation: sourceLocation)
        if let requestID { #expect(id == requestID, sourceLocation: sourceLocation) }
        #expect(response.header("connection") == "close", sourceLocation: sourceLocation)
        #expect(exchange.closedByServer, "the connection must be closed", sourceLocation: sourceLocation)
    }

    @Test("HTTP/1.0 without keep-alive is closed after the response; with keep-alive it stays open")
    func http10Persistence() async throws {
        let app = try await makeApp()
        try await app.test(.live) { client in
            let port = client.port!
            let plain = await RawHTTP.exchange(port: port, request: "GET /healthz HTTP/1.0\r\n\r\n", readTimeout: 10)
            #expect(plain.responses.map(\.status) == [200])
            #expect(plain.responses.first?.text == #"{"status":"ok"}"#)
            #expect(plain.closedByServer, "an HTTP/1.0 connection without keep-alive must close after the response")

            let keepAlive = "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
            let two = await RawHTTP.exchange(port: port, request: keepAlive + keepAlive, readTimeout: 2)
            #expect(two.responses.map(\.status) == [200, 200])
            #expect(two.responses.first?.header("connection") == "keep-alive")

            let close11 = await RawHTTP.exchange(
                port: port, request: "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            #expect(close11.responses.map(\.status) == [200])
            #expect(close11.closedByServer)
        }
    }

    @Test("Transfer-Encoding in an HTTP/1.0 request, or beside Content-Length: 400 and closed")
    func transferEncodingFraming() async throws {
        let app = try await makeApp()
        try await app.test(.live) { client in
            let http10 = await RawHTTP.exchange(
                port: client.port!,
                request:
                    "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\nX-Request-Id: te-10\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            )
            try expectRejected(http10, status: 400, code: "BAD_REQUEST", requestID: "te-10")
            let both = await RawHTTP.exchange(
                port: client.port!,
                request:
                    "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            )
            try expectRejected(both, status: 400, code: "BAD_REQUEST")
        }
    }

    @Test(
        "an unknown or stacked transfer coding is 501 NOT_IMPLEMENTED and closed",
        arguments: ["xchunked", "identity", "gzip, chunked"])
    func unknownTransferCoding(_ coding: String) async throws {
        let app = try await makeApp()
        try await app.test(.live) { client in
            let exchange = await RawHTTP.exchange(
                port: client.port!,
                request: "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(coding)\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
            try expectRejected(exchange, status: 501, code: "NOT_IMPLEMENTED")
        }
    }

    @Test("HTTP/1.1 without Host, or with two Host lines: 400 and closed")
    func hostHeader() async throws {
        let app = try await makeApp()
        try await app.test(.live) { client in
            let missing = await RawHTTP.exchange(
                port: client.port!, request: "GET /healthz HTTP/1.1\r\nX-Request-Id: no-host\r\n\r\n")
            try expectRejected(missing, status: 400, code: "BAD_REQUEST", requestID: "no-host")
            let twice = await RawHTTP.exchange(
                port: client.port!, request: "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
            try expectRejected(twice, status: 400, code: "BAD_REQUEST")
            let http10 = await RawHTTP.exchange(port: client.port!, request: "GET /healthz HTTP/1.0\r\n\r\n")
            #expect(http10.responses.map(\.status) == [200], "HTTP/1.0 may omit Host")
        }
    }

    @Test(
        "parser errors are JSON errors with X-Request-Id, then closed",
        arguments: [
            (
                "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400,
                "BAD_REQUEST"
            ),
            ("G@T /healthz HTTP/1.1\r\nHost: a\r\n\r\n", 400, "BAD_REQUEST"),
            ("GET /healthz HTTP/9.7\r\nHost: a\r\n\r\n", 400, "BAD_REQUEST"),
            (
                "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "x", count: 200_000))\r\n\r\n", 431,
                "REQUEST_HEADER_FIELDS_TOO_LARGE"
            ),
        ])
    func parserErrors(_ request: String, _ status: Int, _ code: String) async throws {
        let app = try await makeApp()
        try await app.test(.live) { client in
            try expectRejected(await RawHTTP.exchange(port: client.port!, request: request), status: status, code: code)
        }
    }

    @Test("a malformed chunked body reaches the route as a 400, and the connection is closed")
    func malformedChunkedBody() async throws {
        let app = try await makeApp()
        try await app.test(.live) { client in
            for body in ["zz\r\nabc\r\n0\r\n\r\n", "5\r\nabc\r\n0\r\n\r\n"] {
                let exchange = await RawHTTP.exchange(
                    port: client.port!,
                    request: "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\(body)")
                try expectRejected(exchange, status: 400, code: "BAD_REQUEST")
            }
            let good = await RawHTTP.exchange(
                port: client.port!,
                request:
                    "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            )
            #expect(good.responses.first?.status == 200)
            #expect(good.responses.first?.text == "abc")
        }
    }

    @Test("HEAD on /healthz and /readyz answers like GET without a body")
    func headOnGetRoutes() async throws {
        let app = try await makeApp()
        try await app.test(.live) { client in
            for path in ["/healthz", "/readyz"] {
                let get = await RawHTTP.exchange(
                    port: client.port!, request: "GET \(path) HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                let head = await RawHTTP.exchange(
                    port: client.port!, request: "HEAD \(path) HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                    headRequests: [0])
                let getResponse = try #require(get.responses.first)
                let headResponse = try #require(head.responses.first)
                #expect(headResponse.status == 200, "\(path)")
                #expect(getResponse.body.count > 0)
                #expect(headResponse.header("content-length") == String(getResponse.body.count), "\(path)")
                #expect(headResponse.header("content-type") == getResponse.header("content-type"))
                #expect(head.trailing.isEmpty, "HEAD has no body: \(head.trailing.count) bytes")
            }
        }
    }

    @Test("with CORS on, answers to requests without Origin carry Vary: Origin; with CORS off they do not")
    func varyOrigin() async throws {
        let app = try await makeApp(origins: ["https://app.example.com"])
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.headers[values: .vary] == ["Origin"])
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.origin: "https://evil.example.com"]) {
                #expect($0.headers[values: .vary] == ["Origin"])
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.origin: "https://app.example.com"]) {
                #expect($0.headers[values: .vary] == ["Origin"])
                #expect($0.headers[.accessControlAllowOrigin] == "https://app.example.com")
            }
        }
        let off = try await makeApp()
        try await off.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.headers[.vary] == nil) }
        }
    }
}
