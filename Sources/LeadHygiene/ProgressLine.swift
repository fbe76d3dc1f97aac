import Foundation

/// A one-line progress display on standard error (`1,234,567 rows · 41 % · 310,000 rows/s`), redrawn at most
/// twice a second. The CLI shows it only when standard error is a terminal, so logs of scheduled jobs stay clean.
public final class ProgressLine {
    private let totalBytes: Int?
    private let started = Date()
    private var lastDrawn = Date.distantPast

    init(inputPath: String) {
        let size = (try? FileManager.default.attributesOfItem(atPath: inputPath))?[.size] as? Int
        totalBytes = inputPath == "-" ? nil : size
    }

    func update(rowsIn: Int, bytesRead: Int) {
        draw { elapsed in
            var parts = ["\(rowsIn.formatted()) rows"]
            if let percent = percent(of: bytesRead) { parts.append("\(percent) %") }
            parts.append("\(Int(Double(rowsIn) / elapsed).formatted()) rows/s")
            return parts.joined(separator: " · ")
        }
    }

    /// The line for the first pass over a JSONL file, which learns its keys before any row is read.
    func updateKeyPass(bytesRead: Int) {
        draw { _ in
            var text = "learning the JSONL columns: \(bytesRead.formatted()) bytes"
            if let percent = percent(of: bytesRead) { text += " · \(percent) %" }
            return text
        }
    }

    private func percent(of bytesRead: Int) -> Int? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(100, bytesRead * 100 / totalBytes)
    }

    /// Redraws the line with `text(secondsSinceStart)`, at most twice a second.
    private func draw(_ text: (_ elapsed: Double) -> String) {
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 0.5 else { return }
        lastDrawn = now
        let line = text(max(now.timeIntervalSince(started), 0.001))
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    static func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }

    /// Whether standard error is an interactive terminal.
    public static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
