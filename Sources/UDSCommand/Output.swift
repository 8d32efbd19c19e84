import Foundation
import Synchronization
import UDSClient

/// Where results, errors and progress go: results to standard output (plain lines or JSON lines),
/// errors to standard error, progress bars to standard error only when it is a terminal.
final class Output: Sendable {
    /// JSON lines instead of plain lines.
    let json: Bool
    /// The progress bars (`nil` when standard error is not a terminal).
    let board: ProgressBoard?

    init(json: Bool) {
        self.json = json
        self.board = isatty(STDERR_FILENO) == 1 ? ProgressBoard() : nil
    }

    /// Prints a result: `plain` as is, or `value` as one JSON line.
    func result(plain: String, value: some Encodable) {
        let line: String
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            line = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        } else {
            line = plain
        }
        emit(line + "\n", to: FileHandle.standardOutput)
    }

    /// Prints `uds: <subject>: <error>` to standard error.
    func error(_ subject: String, _ error: any Error) {
        let text = error is CancellationError ? "interrupted" : String(describing: error)
        emit("uds: \(subject): \(text)\n", to: FileHandle.standardError)
    }

    /// A progress handler for `name`'s bar, or `nil` without a terminal.
    func progress(for name: String) -> ProgressHandler? {
        guard let board else { return nil }
        board.add(name)
        return { board.update($0) }
    }

    /// Ends `name`'s bar.
    func finished(_ name: String) { board?.remove(name) }

    private func emit(_ text: String, to handle: FileHandle) {
        if let board { board.printAbove(text, to: handle) } else { handle.write(Data(text.utf8)) }
    }
}
