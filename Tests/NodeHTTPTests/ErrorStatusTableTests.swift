import CoreStore
import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NodeHTTP
import Testing

@Suite("error code → HTTP status table")
struct ErrorStatusTableTests {
    @Test("every code maps to a status in the documented family, and renders the JSON body")
    func everyCode() throws {
        for code in CoreStoreError.Code.allCases {
            let status = code.httpStatus.code
            #expect((400..<600).contains(status), "\(code)")
            let response = ErrorResponse.response(for: CoreStoreError(code))
            let body = ErrorResponse.body(for: CoreStoreError(code))
            let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: String]
            #expect(json?["code"] == code.rawValue)
            #expect(json?["error"] == code.defaultMessage)
            #expect((response.headers[.retryAfter] != nil) == (status == 503 || status == 429), "\(code)")
        }
    }

    @Test("the seed's contract statuses and messages")
    func seedContract() {
        #expect(CoreStoreError.Code.invalidCredentials.httpStatus == .forbidden)
        #expect(CoreStoreError.Code.invalidCredentials.defaultMessage == "client credentials invalid")
        #expect(CoreStoreError.Code.checksumMismatch.httpStatus == .conflict)
        #expect(CoreStoreError.Code.checksumMismatch.defaultMessage == "checksum failed - please attempt reuploading")
        #expect(CoreStoreError.Code.payloadTooLarge.httpStatus == .contentTooLarge)
        #expect(CoreStoreError.Code.payloadTooLarge.defaultMessage == "Document file size is too large")
        #expect(CoreStoreError.Code.objectStoreUnavailable.httpStatus == .serviceUnavailable)
    }

    @Test("a client that went away mid-request is a 499 CLIENT_CLOSED_REQUEST, not a server error")
    func clientGone() {
        let gone: [any Error] = [
            HTTPParserError.invalidEOFState, ChannelError.eof, ChannelError.ioOnClosedChannel,
            IOError(errnoCode: ECONNRESET, reason: "read"),
        ]
        for error in gone {
            #expect(ErrorResponse.coreStoreError(from: error).code == .clientClosedRequest, "\(error)")
        }
        #expect(CoreStoreError.Code.clientClosedRequest.httpStatus.code == 499)
        #expect(ErrorResponse.coreStoreError(from: HTTPParserError.invalidChunkSize).code == .badRequest)
        #expect(ErrorResponse.coreStoreError(from: HTTPParserError.headerOverflow).code == .headersTooLarge)
        #expect(ErrorResponse.coreStoreError(from: IOError(errnoCode: EIO, reason: "read")).code == .internalError)
    }

    @Test("unknown errors become 500 INTERNAL_ERROR without their detail")
    func unknownErrors() {
        struct Secret: Error {}
        #expect(ErrorResponse.coreStoreError(from: Secret()).code == .internalError)
    }

    @Test("docs/openapi.yaml's ErrorCode enum lists exactly the codes the service sends")
    func openAPIListsEveryCode() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let spec = try String(contentsOfFile: root + "/docs/openapi.yaml", encoding: .utf8)
        let lines = spec.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "    ErrorCode:"))
        let enumStart = try #require(lines[start...].firstIndex(of: "      enum:"))
        let documented = lines[(enumStart + 1)...].prefix { $0.hasPrefix("        - ") }.map { $0.dropFirst(10) }
        #expect(Set(documented.map(String.init)) == Set(CoreStoreError.Code.allCases.map(\.rawValue)))
        #expect(documented.count == CoreStoreError.Code.allCases.count, "no code listed twice")
    }
}
