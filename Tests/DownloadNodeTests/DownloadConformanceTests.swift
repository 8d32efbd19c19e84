import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NodeHTTP
import TestSupport
import Testing

@testable import DownloadNode

/// Conditional requests, caching headers, HEAD on the listing and the page-size cap.
@Suite("download-node: HTTP conformance")
struct DownloadConformanceTests {
    let bytes = Array("hello, conditional world".utf8)
    let uri = "/upload_download_service/doc.txt/alice"

    func headers(_ extra: HTTPFields = [:]) -> HTTPFields {
        var fields: HTTPFields = [.authorization: TestNode.bearer("alice")]
        fields.append(contentsOf: extra)
        return fields
    }

    @Test("GET/HEAD If-Match: a listed current ETag or * is 200; another ETag is 412")
    func ifMatch() async throws {
        let parts = try await TestNode.parts(role: .download)
        let record = try await FileSeeder.seed(bytes, user: "alice", name: "doc.txt", parts: parts)
        let app = try makeDownloadApp(parts)
        let tag = "\"\(record.md5.hex)\""
        try await app.test(.live) { client in
            for method in [HTTPRequest.Method.get, .head] {
                try await client.execute(uri: uri, method: method, headers: headers([.ifMatch: "\"0000\""])) {
                    #expect($0.status == .preconditionFailed, "\(method)")
                    if method == .get { #expect(String(buffer: $0.body).contains("\"PRECONDITION_FAILED\"")) }
                }
                for value in ["\"0000\", \(tag)", "*"] {
                    try await client.execute(uri: uri, method: method, headers: headers([.ifMatch: value])) {
                        #expect($0.status == .ok, "\(method) \(value)")
                    }
                }
            }
        }
    }

    @Test("files are private, no-cache (revalidated by ETag); the listing is no-store")
    func cacheControl() async throws {
        let parts = try await TestNode.parts(role: .download)
        try await FileSeeder.seed(bytes, user: "alice", name: "doc.txt", parts: parts)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            try await client.execute(uri: uri, method: .get, headers: headers()) {
                #expect($0.status == .ok)
                #expect($0.headers[.cacheControl] == "private, no-cache")
            }
            try await client.execute(
                uri: "/upload_download_service/users/alice/files", method: .get, headers: headers()
            ) {
                #expect($0.status == .ok)
                #expect($0.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test("If-Modified-Since in IMF-fixdate, RFC 850 and asctime form", arguments: [true, false])
    func ifModifiedSinceForms(_ later: Bool) async throws {
        let parts = try await TestNode.parts(role: .download)
        let record = try await FileSeeder.seed(bytes, user: "alice", name: "doc.txt", parts: parts)
        let app = try makeDownloadApp(parts)
        // A second after the commit (304), or a day before it (200).
        let date = record.createdAt.addingTimeInterval(later ? 1 : -86_400)
        let utc = TimeZone(identifier: "GMT")!
        func format(_ pattern: String) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = utc
            formatter.dateFormat = pattern
            return formatter.string(from: date)
        }
        var asctime = format("EEE MMM d HH:mm:ss yyyy")
        if Calendar(identifier: .gregorian).dateComponents(in: utc, from: date).day! < 10 {
            asctime = format("EEE MMM  d HH:mm:ss yyyy")  // asctime pads the day with a space
        }
        let forms = [format("EEE, dd MMM yyyy HH:mm:ss 'GMT'"), format("EEEE, dd-MMM-yy HH:mm:ss 'GMT'"), asctime]
        try await app.test(.live) { client in
            for form in forms {
                try await client.execute(uri: uri, method: .get, headers: headers([.ifModifiedSince: form])) {
                    #expect($0.status == (later ? .notModified : .ok), "\(form)")
                }
            }
        }
    }

    @Test("HTTP dates: the three forms parse to the same instant; garbage does not parse")
    func httpDateParsing() {
        let expected = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        #expect(HTTPDate.date(from: "Sun, 06 Nov 1994 08:49:37 GMT", now: now) == expected)
        #expect(HTTPDate.date(from: "Sunday, 06-Nov-94 08:49:37 GMT", now: now) == expected)
        #expect(HTTPDate.date(from: "Sun Nov  6 08:49:37 1994", now: now) == expected)
        // Two-digit years: more than 50 years ahead means the previous century.
        #expect(
            HTTPDate.date(from: "Tuesday, 01-Jan-80 00:00:00 GMT", now: now) == Date(timeIntervalSince1970: 315_532_800)
        )
        #expect(
            HTTPDate.date(from: "Friday, 01-Jan-50 00:00:00 GMT", now: now)
                == Date(timeIntervalSince1970: 2_524_608_000))
        for garbage in [
            "", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun Foo  6 08:49:37 1994",
        ] {
            #expect(HTTPDate.date(from: garbage, now: now) == nil, "\(garbage)")
        }
        #expect(HTTPDate.string(from: expected) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test("IMF-fixdate output equals Foundation's formatting for 10,000 random instants 1970–2200 and the edges")
    func httpDateMatchesFoundation() {
        let reference = Date.VerbatimFormatStyle(
            format:
                "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: TimeZone(identifier: "GMT")!,
            calendar: Calendar(identifier: .gregorian))
        var generator = SystemRandomNumberGenerator()
        let edges: [Double] = [0, 0.999, 86_399.5, 951_782_400, 4_107_542_400, 1_796_000_000.123]
        let instants = edges + (0..<10_000).map { _ in Double.random(in: 0..<7_258_118_400, using: &generator) }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(HTTPDate.string(from: date) == date.formatted(reference), "\(seconds)")
        }
    }

    @Test("a limit beyond any integer is capped at 1000 like a large one; zero or signs are 400")
    func limitCap() async throws {
        let parts = try await TestNode.parts(role: .download)
        try await FileSeeder.seed(bytes, user: "alice", name: "doc.txt", parts: parts)
        let app = try makeDownloadApp(parts)
        try await app.test(.live) { client in
            for limit in ["99999999999999999999", "1001", "1000", "1"] {
                try await client.execute(
                    uri: "/upload_download_service/users/alice/files?limit=\(limit)", method: .get, headers: headers()
                ) {
                    #expect($0.status == .ok, "limit=\(limit)")
                }
            }
            for limit in ["0", "-1", "+5", "abc", "", "000"] {
                try await client.execute(
                    uri: "/upload_download_service/users/alice/files?limit=\(limit)", method: .get, headers: headers()
                ) {
                    #expect($0.status == .badRequest, "limit=\(limit)")
                }
            }
        }
        #expect(try DownloadRoutes.pageSize("99999999999999999999") == 1000)
        #expect(try DownloadRoutes.pageSize("1001") == 1000)
        #expect(try DownloadRoutes.pageSize("007") == 7)
    }

    @Test("HEAD on the listing answers like GET without a body")
    func headListing() async throws {
        let parts = try await TestNode.parts(role: .download)
        try await FileSeeder.seed(bytes, user: "alice", name: "doc.txt", parts: parts)
        let app = try makeDownloadApp(parts)
        let listing = "/upload_download_service/users/alice/files"
        try await app.test(.live) { client in
            var length: String?
            try await client.execute(uri: listing, method: .get, headers: headers()) {
                #expect($0.status == .ok)
                length = $0.headers[.contentLength]
                #expect(length == String($0.body.readableBytes))
            }
            try await client.execute(uri: listing, method: .head, headers: headers()) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentLength] == length)
                #expect($0.headers[.cacheControl] == "no-store")
                #expect($0.body.readableBytes == 0)
            }
        }
    }
}
