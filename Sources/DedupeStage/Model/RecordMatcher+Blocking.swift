import Dispatch
import Foundation
import LeadFacts
import PipelineSpec

// Blocking: each row's key per rule, and the candidate pairs the rules give.
extension RecordMatcher {
    /// Per rule, per row: the block key (0 = not blocked by that rule).
    ///
    /// Computed when the pairs are generated and dropped afterwards: eight bytes per row and rule that
    /// no later phase needs.
    /// - Parameter portable: key by the values' content only, so a row's key is the same in any slice of the list.
    func blockKeys(portable: Bool = false) -> [[UInt64]] {
        let prepared = fields, extraPrepared = blockingOnlyFields, resolvedTerms = ruleTerms, rowCount = self.rowCount
        let unordered = settings.blocking.map(\.isUnordered)
        return ResultSlots.map(resolvedTerms.count) { r in
            let termKeys: [(ids: [Int32], keys: [UInt64])] = resolvedTerms[r].map { term in
                let field = term.extra ? extraPrepared[term.field] : prepared[term.field]
                return (field.ids, term.transform.keys(for: field, byContent: unordered[r], portable: portable))
            }
            var keys = [UInt64](repeating: 0, count: rowCount)
            var parts = [UInt64](repeating: 0, count: termKeys.count)
            for row in 0..<rowCount {
                var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1)
                var complete = true
                for (t, term) in termKeys.enumerated() {
                    let id = term.ids[row]
                    if id < 0 { complete = false; break }
                    let k = term.keys[Int(id)]
                    if k == 0 { complete = false; break }
                    parts[t] = k
                }
                guard complete else { keys[row] = 0; continue }
                if unordered[r] { parts.sort() }
                for k in parts {
                    h = (h ^ k) &* 0x100_0000_01b3
                    h ^= h >> 29
                }
                keys[row] = h == 0 ? 1 : h
            }
            return keys
        }
    }

    /// The blocked pairs with their patterns, and the counts per rule.
    public struct CandidatePairs: Sendable {
        public var a: [Int32]
        public var b: [Int32]
        public var patterns: [ComparisonPattern]
        /// For each pair, a bit per blocking rule whose block holds both rows (bit r = rule r).
        public var rules: [UInt16]
        /// Pairs each rule generated (not counting pairs an earlier rule already generated).
        package var perRule: [Int]
        /// Blocks each rule skipped for being larger than ``DedupeSettings/maxBlockSize``.
        package var oversizedBlocks: [Int]
        public var count: Int { a.count }
    }

    /// Generates every blocked pair once and compares it, on all cores.
    package func candidatePairs(progress: StageProgress = .silent) -> CandidatePairs {
        progress.phase("blocking: keys per rule")
        // A slice of a list keys its blocks by content and takes the whole list's verdict on their size.
        let wholeListOversized = self.wholeListOversized
        let ruleKeys = blockKeys(portable: wholeListOversized != nil)
        let rules = ruleKeys.count
        // A key on one identifier (a mailbox, a phone number, a profile) that many rows share identifies nobody:
        // a switchboard number or a shared inbox. Such blocks are skipped at a smaller size than name blocks.
        let ruleMaxBlock = ruleMaxBlockSizes
        // Per rule: rows sorted by key, so each block is a run.
        let sorted: [[(key: UInt64, row: Int32)]] = ResultSlots.map(rules) { r in
            var entries: [(key: UInt64, row: Int32)] = []
            entries.reserveCapacity(self.rowCount)
            for (row, key) in ruleKeys[r].enumerated() where key != 0 { entries.append((key, Int32(row))) }
            entries.sort { $0.key < $1.key || ($0.key == $1.key && $0.row < $1.row) }
            // Most keys (a mailbox, a phone) are one row's alone and make no pair: keep only shared keys,
            // so the rules' lists held together are a fraction of a row per rule.
            var shared: [(key: UInt64, row: Int32)] = []
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count && entries[end].key == entries[start].key { end += 1 }
                if end - start > 1 { shared.append(contentsOf: entries[start..<end]) }
                start = end
            }
            return shared
        }
        struct Block { var rule: Int32; var start: Int32; var end: Int32 }
        var blocks: [Block] = []
        var oversized = [Int](repeating: 0, count: rules)
        var oversizedKeys = [Set<UInt64>](repeating: [], count: rules)
        var totalWork = 0
        for r in 0..<rules {
            let entries = sorted[r]
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count && entries[end].key == entries[start].key { end += 1 }
                let size = end - start
                if wholeListOversized.map({ $0[r].contains(entries[start].key) }) ?? (size > ruleMaxBlock[r]) {
                    oversized[r] += 1
                    oversizedKeys[r].insert(entries[start].key)
                } else if size > 1 {
                    blocks.append(Block(rule: Int32(r), start: Int32(start), end: Int32(end)))
                    totalWork += size * (size - 1) / 2
                }
                start = end
            }
        }
        // Balance the work: cut the block list into batches of roughly equal pair counts.
        let batchCount = max(1, min(blocks.count, ProcessInfo.processInfo.activeProcessorCount * 16))
        let perBatch = max(1, totalWork / batchCount + 1)
        var batches: [Range<Int>] = []
        var batchStart = 0, acc = 0
        for (i, block) in blocks.enumerated() {
            let n = Int(block.end - block.start)
            acc += n * (n - 1) / 2
            if acc >= perBatch { batches.append(batchStart..<(i + 1)); batchStart = i + 1; acc = 0 }
        }
        if batchStart < blocks.count { batches.append(batchStart..<blocks.count) }
        let allBlocks = blocks, skippedKeys = oversizedKeys, batchRanges = batches
        progress.phase("blocking: comparing pairs in blocks", done: 0, of: blocks.count)
        struct Batch { var a: [Int32] = []; var b: [Int32] = []; var patterns: [ComparisonPattern] = []; var rules: [UInt16] = []; var perRule: [Int] }
        let results: [Batch] = ResultSlots.map(batches.count) { bi in
            var out = Batch(perRule: [Int](repeating: 0, count: rules))
            var blocksSinceReport = 0
            defer { progress.advance(by: blocksSinceReport) }
            for block in allBlocks[batchRanges[bi]] {
                blocksSinceReport += 1
                if blocksSinceReport == 256 {
                    progress.advance(by: blocksSinceReport)
                    blocksSinceReport = 0
                }
                let r = Int(block.rule)
                let entries = sorted[r]
                for i in Int(block.start)..<Int(block.end) {
                    let x = Int(entries[i].row)
                    for j in (i + 1)..<Int(block.end) {
                        let y = Int(entries[j].row)
                        // Generated already by an earlier rule (unless that rule skipped the block)?
                        var seen = false
                        var mask = UInt16(1) << UInt16(r)
                        for other in 0..<rules where other != r {
                            let k = ruleKeys[other][x]
                            guard k != 0 && k == ruleKeys[other][y] && !skippedKeys[other].contains(k) else { continue }
                            if other < r { seen = true; break }
                            mask |= UInt16(1) << UInt16(other)
                        }
                        if seen { continue }
                        out.a.append(Int32(x))
                        out.b.append(Int32(y))
                        out.patterns.append(self.pattern(x, y))
                        out.rules.append(mask)
                        out.perRule[r] += 1
                    }
                }
            }
            return out
        }
        var pairs = CandidatePairs(a: [], b: [], patterns: [], rules: [], perRule: [Int](repeating: 0, count: rules),
                                   oversizedBlocks: oversized)
        let total = results.reduce(0) { $0 + $1.a.count }
        pairs.a.reserveCapacity(total); pairs.b.reserveCapacity(total); pairs.patterns.reserveCapacity(total)
        for batch in results {
            pairs.a.append(contentsOf: batch.a)
            pairs.b.append(contentsOf: batch.b)
            pairs.patterns.append(contentsOf: batch.patterns)
            pairs.rules.append(contentsOf: batch.rules)
            for r in 0..<rules { pairs.perRule[r] += batch.perRule[r] }
        }
        return pairs
    }
}
