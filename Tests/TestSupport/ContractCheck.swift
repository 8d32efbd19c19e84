/// A failed expectation inside a shared contract suite (suites live in a plain target, so they
/// throw instead of using `#expect`; a test that calls a suite fails with this error).
public struct ContractViolation: Error, CustomStringConvertible {
    /// What was expected.
    public let description: String
    /// Where.
    public let location: String
}

/// Throws a ``ContractViolation`` unless `condition` holds.
/// - Parameters:
///   - condition: The expectation.
///   - message: What was expected, for the failure report.
public func check(
    _ condition: @autoclosure () throws -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) throws {
    guard try condition() else {
        throw ContractViolation(description: message(), location: "\(file):\(line)")
    }
}

/// Runs `body` and throws a ``ContractViolation`` unless it throws a `CoreStoreError`-like error
/// whose description contains `code`.
public func checkThrows(
    _ code: String, _ message: String, file: StaticString = #fileID, line: UInt = #line,
    _ body: () async throws -> Void
) async throws {
    do {
        try await body()
    } catch {
        guard "\(error)".contains(code) else {
            throw ContractViolation(
                description: "\(message): expected \(code), got \(error)", location: "\(file):\(line)")
        }
        return
    }
    throw ContractViolation(description: "\(message): expected \(code), nothing thrown", location: "\(file):\(line)")
}
