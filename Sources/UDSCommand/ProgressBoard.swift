import Foundation
import Synchronization
import UDSClient

/// One progress bar per running transfer on the terminal (standard error), redrawn at most ten
/// times a second: `name [#####.....]  45%  12.0 MiB/26.7 MiB  4.1 MiB/s  ETA 0:04`.
final class ProgressBoard: Sendable {
    private struct Bar {
        var name: String
        var started: ContinuousClock.Instant
        var progress: TransferProgress?
    }

    private struct State {
        var bars: [Bar] = []
        var drawnLines = 0
        var lastDraw: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()

    /// Adds a bar for `name`.
    func add(_ name: String) {
        state.withLock { state in
            state.bars.append(Bar(name: name, started: clock.now))
            draw(&state)
        }
    }

    /// Records progress; redraws unless the last draw was under 100 ms ago (the last chunk always draws).
    func update(_ progress: TransferProgress) {
        state.withLock { state in
            guard let index = state.bars.firstIndex(where: { $0.name == progress.name }) else { return }
            state.bars[index].progress = progress
            let now = clock.now
            let final = progress.totalBytes == progress.completedBytes
            if !final, let last = state.lastDraw, now - last < .milliseconds(100) { return }
            draw(&state)
        }
    }

    /// Removes `name`'s bar.
    func remove(_ name: String) {
        state.withLock { state in
            state.bars.removeAll { $0.name == name }
            draw(&state)
        }
    }

    /// Prints `text` (a result or an error line) above the bars.
    func printAbove(_ text: String, to handle: FileHandle) {
        state.withLock { state in
            erase(&state)
            handle.write(Data(text.utf8))
            draw(&state)
        }
    }

    private func erase(_ state: inout State) {
        guard state.drawnLines > 0 else { return }
        FileHandle.standardError.write(Data("\u{1B}[\(state.drawnLines)A\r\u{1B}[J".utf8))
        state.drawnLines = 0
    }

    private func draw(_ state: inout State) {
        let now = clock.now
        var text = state.drawnLines > 0 ? "\u{1B}[\(state.drawnLines)A" : ""
        for bar in state.bars { text += "\r\u{1B}[K" + Self.line(bar, now: now) + "\n" }
        if state.bars.count < state.drawnLines { text += "\u{1B}[J" }
        FileHandle.standardError.write(Data(text.utf8))
        state.drawnLines = state.bars.count
        state.lastDraw = now
    }

    private static func line(_ bar: Bar, now: ContinuousClock.Instant) -> String {
        let name = bar.name.count > 24 ? String(bar.name.prefix(23)) + "…" : bar.name
        let padded = name.padding(toLength: 24, withPad: " ", startingAt: 0)
        guard let progress = bar.progress else { return "\(padded) starting" }
        let elapsed = max(0.001, (now - bar.started) / .seconds(1))
        let rate = Double(progress.transferredBytes) / elapsed
        let done = Self.bytes(Double(progress.completedBytes))
        guard let total = progress.totalBytes, total > 0 else {
            return "\(padded) \(done)  \(Self.bytes(rate))/s"
        }
        let fraction = min(1, Double(progress.completedBytes) / Double(total))
        let filled = Int(fraction * 20)
        let gauge = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
        let percent = String(format: "%3d%%", Int(fraction * 100))
        let remaining = Double(total - progress.completedBytes)
        let eta = rate > 0 ? Self.duration(remaining / rate) : "--:--"
        return
            "\(padded) [\(gauge)] \(percent)  \(done)/\(Self.bytes(Double(total)))  \(Self.bytes(rate))/s  ETA \(eta)"
    }

    /// `812 B`, `12.3 KiB`, `4.1 MiB`, `1.2 GiB`.
    static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = value
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    /// `0:04`, `12:30`, `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
