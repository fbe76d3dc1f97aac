import Dispatch
import Foundation
import PipelineSpec
import Synchronization

/// A one-line progress display on standard error, through every phase of a run:
/// `reading · 1,234,567 rows · 41 % · 310,000 rows/s · 0:04 elapsed, about 0:06 left`, then
/// `dedupe (whole list) · 1,000,000 rows · scoring pairs 1,200,000 of 4,800,000 (25 %) · 0:03 in this step,
/// about 0:09 left · 0:12 elapsed`, `writing`, `publishing`, `recording in the store`.
///
/// A timer redraws the line every half second whatever the run is doing, so it is never stale while a
/// whole-list stage works; what the stage reports into ``stageProgress`` (its phase, items done of items)
/// is read on every redraw. The CLI shows it only when standard error is a terminal, so
/// logs of scheduled jobs stay clean.
// Unchecked: the mutable state is behind a Mutex, and a DispatchSource may be cancelled from any thread.
public final class ProgressLine: @unchecked Sendable {
    private struct State {
        var phase = "reading"
        var rows = 0
        /// Rows written to the outputs so far (clean, rejected or merged).
        var written = 0
        var bytesRead = 0
        var phaseStarted = ContinuousClock.now
        var isStopped = false
    }

    private let totalBytes: Int?
    private let started = ContinuousClock.now
    private let state = Mutex(State())
    private let drawing = Mutex(())
    private let timer: DispatchSourceTimer
    /// What the running stage says about its own phases; cleared whenever the run enters a phase.
    let stageProgress: StageProgress

    init(inputPath: String, stageProgress: StageProgress = StageProgress()) {
        self.stageProgress = stageProgress
        let size = (try? FileManager.default.attributesOfItem(atPath: inputPath))?[.size] as? Int
        totalBytes = inputPath == "-" ? nil : size
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "leadhygiene.progress"))
        timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
        stageProgress.observePhases { [weak self] in self?.draw() }
    }

    deinit { timer.cancel() }

    /// Rows read so far and input bytes consumed (the executor calls this after each chunk).
    func update(rowsIn: Int, bytesRead: Int) {
        state.withLock {
            $0.rows = rowsIn
            $0.bytesRead = bytesRead
        }
    }

    /// Rows the writer has just written (the runner's writer calls this after each chunk).
    func wrote(rows: Int) {
        state.withLock { $0.written += rows }
    }

    /// The phase the run is in now: `dedupe (whole list)`, `writing`, `publishing`.
    func enter(_ phase: String) {
        // The phase that ends is drawn as it ended (reading at 100 %), however recently the timer drew it.
        draw()
        stageProgress.clear()
        state.withLock {
            $0.phase = phase
            $0.phaseStarted = .now
        }
        draw()
    }

    /// The line for the first pass over a JSONL file, which learns its keys before any row is read.
    func updateKeyPass(bytesRead: Int) {
        state.withLock {
            $0.phase = "learning the JSONL columns"
            $0.bytesRead = bytesRead
        }
    }

    /// Stops redrawing and clears the line.
    func finish() {
        timer.cancel()
        stageProgress.observePhases {}
        drawing.withLock { _ in
            state.withLock { $0.isStopped = true }
            Self.clear()
        }
    }

    /// The text of the line now; `nil` once finished.
    func text() -> String? {
        let snapshot = state.withLock { $0 }
        guard !snapshot.isStopped else { return nil }
        let elapsed = Self.seconds(ContinuousClock.now - started)
        var parts = [snapshot.phase]
        switch snapshot.phase {
        case "reading":
            parts.append("\(snapshot.rows.formatted()) rows")
            let percent = percent(of: snapshot.bytesRead)
            if let percent { parts.append("\(percent) %") }
            parts.append("\(Int(Double(snapshot.rows) / max(elapsed, 0.001)).formatted()) rows/s")
            var time = "\(Self.clock(elapsed)) elapsed"
            // Reading is the one phase whose end can be seen coming: the share of the input read.
            if let percent, percent >= 2, percent < 100 {
                time += ", about \(Self.clock(elapsed * Double(100 - percent) / Double(percent))) left to read"
            }
            parts.append(time)
        case "learning the JSONL columns":
            parts.append("\(snapshot.bytesRead.formatted()) bytes")
            if let percent = percent(of: snapshot.bytesRead) { parts.append("\(percent) %") }
        default:
            if snapshot.rows > 0 {
                // After the whole-list stages the rows stream to the files: how many of them are written.
                if snapshot.written > 0, snapshot.written < snapshot.rows {
                    parts.append("\(snapshot.written.formatted()) of \(snapshot.rows.formatted()) rows written "
                                 + "(\(snapshot.written * 100 / snapshot.rows) %)")
                } else {
                    parts.append("\(snapshot.rows.formatted()) rows")
                }
            }
            if let step = stageProgress.snapshot {
                parts += Self.describe(step)
                parts.append("\(Self.clock(elapsed)) elapsed")
            } else {
                parts.append("\(Self.clock(Self.seconds(ContinuousClock.now - snapshot.phaseStarted))) in this phase, "
                             + "\(Self.clock(elapsed)) elapsed")
            }
        }
        return parts.joined(separator: " · ")
    }

    /// A stage's own phase: `scoring pairs 1,200,000 of 4,800,000 (25 %)`, `0:03 in this step, about 0:09 left`.
    static func describe(_ step: StageProgress.Snapshot) -> [String] {
        var name = step.phase
        let inStep = seconds(ContinuousClock.now - step.started)
        var time = "\(clock(inStep)) in this step"
        if let done = step.done {
            if let total = step.total, total > 0 {
                name += " \(done.formatted()) of \(total.formatted()) (\(done * 100 / total) %)"
                // The share done so far, at the pace so far: what a person wants from a minute-long step.
                if step.isPaced, done > 0, done < total, inStep >= 1 {
                    time += ", about \(clock(inStep * Double(total - done) / Double(done))) left"
                }
            } else {
                name += " \(done.formatted())"
            }
        }
        return [name, time]
    }

    /// Draws the line now. The timer and a stage entering a phase both draw, from their own threads: one
    /// at a time, so two lines never interleave.
    private func draw() {
        drawing.withLock { _ in
            guard let line = text() else { return }
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        }
    }

    private func percent(of bytesRead: Int) -> Int? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(100, bytesRead * 100 / totalBytes)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `0:07`, `12:03`, `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    static func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }

    /// Whether standard error is an interactive terminal.
    public static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
