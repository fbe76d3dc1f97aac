import Foundation
import PipelineSpec

/// One stage summary from its partitions' summaries, as the stage would have summed them over the whole list.
///
/// Only the report's JSON reaches the driver, not the stages' typed summaries, so the merge goes by the shape and
/// the names of the values, which every stage's summary follows (docs/report.md):
/// - whole numbers are counts, and add up; `lowest` and `highest` are the least and the greatest;
/// - `share_X` beside the count `X` is recomputed from the merged counts: `X` over the sum of the counts that
///   have a share beside them (score's groups: judged and missing make the rows scored);
/// - `mean` beside a `total` (score's) is the merged total over the rows (the stage's first `rows_…` count), to two
///   decimals as the stage rounds it; a `mean` without one is the partitions' means weighted by their rows, a mean
///   of rounded means, which can differ from the whole list's in its last digit;
/// - objects merge key by key; keys every partition lists in ascending order stay in that order;
/// - lists of named entries (the same `name` at each place in every partition) merge entry by entry, but for
///   the facts of the file an entry names, which every partition read whole (firmographic_merge's sources:
///   their `rows`, `rows_skipped`, `duplicate_domains`): those are the first partition's; so is an object that
///   describes a file every partition loaded whole (scrape's `fingerprints`: the technologies and patterns of its
///   fingerprint file);
/// - lists of examples (objects naming their input `line`) keep the first by line, or the lowest by `score` when
///   every partition lists them so, as many as the longest partition's list (a full list shows the limit);
/// - a `null` (what a partition without rows says for score's `lowest`, `highest` and `mean`) gives way to the
///   other partitions' values;
/// - anything else (settings, names) is the first partition's.
enum SummaryMerge {
    /// Counts a named entry gives of its own file, the same in every partition.
    private static let fileFacts: Set<String> = ["rows", "rows_skipped", "duplicate_domains"]
    /// Objects of counts that describe a file every partition loaded whole, the same in every partition.
    private static let fileFactObjects: Set<String> = ["fingerprints"]

    /// The stage's summary from its partitions' (each a `summary` object of a report's stage).
    static func merge(_ parts: [ReportValue]) -> ReportValue {
        let weighted = parts.map { part -> (ReportValue, Int) in
            let rows = PartitionReports.pairs(part).first { $0.0.hasPrefix("rows") && PartitionReports.integerOrNil($0.1) != nil }
            return (part, rows.flatMap { PartitionReports.integerOrNil($0.1) } ?? 1)
        }
        return merge(weighted, key: nil)
    }

    private static func merge(_ parts: [(value: ReportValue, weight: Int)], key: String?) -> ReportValue {
        guard let first = parts.first?.value else { return .object([]) }
        switch first {
        case .integer:
            let counts = parts.compactMap { PartitionReports.integerOrNil($0.value) }
            switch key {
            case "lowest": return .integer(counts.min() ?? 0)
            case "highest": return .integer(counts.max() ?? 0)
            default: return .integer(counts.reduce(0, +))
            }
        case .number where key == "mean":
            let rows = parts.reduce(0) { $0 + $1.weight }
            let total = parts.reduce(0.0) { $0 + PartitionReports.number($1.value) * Double($1.weight) }
            return rows == 0 ? first : .number((total / Double(rows) * 100).rounded() / 100)
        case .object where key.map(fileFactObjects.contains) == true:
            return first
        case .object:
            return mergeObjects(parts.compactMap { part in
                if case .object(let pairs) = part.value { (pairs, part.weight) } else { nil }
            })
        case .array:
            return mergeLists(parts.compactMap { part in
                if case .array(let items) = part.value { (items, part.weight) } else { nil }
            }) ?? first
        case .null:
            // No rows in the first partition (a task of a shuffled segment can get none): the mean, lowest or
            // highest of those that had some.
            let rest = parts.filter { $0.value != .null }
            return rest.isEmpty ? .null : merge(rest, key: key)
        default:
            return first
        }
    }

    private static func mergeObjects(_ objects: [(pairs: [(String, ReportValue)], weight: Int)]) -> ReportValue {
        var keys: [String] = []
        var values: [String: [(ReportValue, Int)]] = [:]
        for object in objects {
            for (key, value) in object.pairs {
                if values[key] == nil { keys.append(key) }
                values[key, default: []].append((value, object.weight))
            }
        }
        let sorted = objects.allSatisfy { object in zip(object.pairs, object.pairs.dropFirst()).allSatisfy { $0.0 < $1.0 } }
        if sorted { keys.sort() }
        var merged = keys.map { ($0, merge(values[$0] ?? [], key: $0)) }
        // Shares are of the merged counts: the counts beside a share make the whole.
        let shared = merged.compactMap { key, _ in key.hasPrefix("share_") ? String(key.dropFirst("share_".count)) : nil }
        let counts = Dictionary(merged.compactMap { key, value in PartitionReports.integerOrNil(value).map { (key, $0) } },
                                uniquingKeysWith: { first, _ in first })
        let whole = shared.reduce(0) { $0 + (counts[$1] ?? 0) }
        if !shared.isEmpty, shared.allSatisfy({ counts[$0] != nil }) {
            for index in merged.indices where merged[index].0.hasPrefix("share_") {
                let count = counts[String(merged[index].0.dropFirst("share_".count))] ?? 0
                merged[index].1 = whole == 0 ? .null : .number((Double(count) / Double(whole) * 10_000).rounded() / 10_000)
            }
        }
        // A mean beside the total it comes from (score's) is the whole list's, not a mean of rounded means.
        if let total = merged.first(where: { $0.0 == "total" }).flatMap({ PartitionReports.integerOrNil($0.1) }),
           let index = merged.firstIndex(where: { $0.0 == "mean" }) {
            let rows = objects.reduce(0) { $0 + $1.weight }
            merged[index].1 = rows == 0 ? .null : .number((Double(total) / Double(rows) * 100).rounded() / 100)
        }
        return .object(merged)
    }

    /// `nil` when the lists are neither named entries nor examples: the caller keeps the first partition's.
    private static func mergeLists(_ lists: [(items: [ReportValue], weight: Int)]) -> ReportValue? {
        let names = lists.map { $0.items.map { PartitionReports.string($0["name"]) } }
        if let first = names.first, !first.isEmpty, first.allSatisfy({ $0 != nil }), names.allSatisfy({ $0 == first }) {
            return .array(first.indices.map { index in
                let entries = lists.map { ($0.items[index], $0.weight) }
                guard case .object(let pairs) = entries[0].0 else { return entries[0].0 }
                let merged = PartitionReports.pairs(merge(entries, key: nil))
                return .object(merged.map { key, value in
                    fileFacts.contains(key) ? (key, pairs.first { $0.0 == key }?.1 ?? value) : (key, value)
                })
            })
        }
        let items = lists.flatMap(\.items)
        guard !items.isEmpty, items.allSatisfy({ PartitionReports.integerOrNil($0["line"]) != nil }) else { return nil }
        let longest = lists.map(\.items.count).max() ?? 0
        let byScore = items.allSatisfy { $0["score"] != nil } && lists.allSatisfy { list in
            zip(list.items, list.items.dropFirst()).allSatisfy { PartitionReports.number($0["score"]) <= PartitionReports.number($1["score"]) }
        }
        let ordered = items.enumerated().sorted { a, b in
            if byScore {
                let (x, y) = (PartitionReports.number(a.element["score"]), PartitionReports.number(b.element["score"]))
                if x != y { return x < y }
            }
            let (x, y) = (PartitionReports.integer(a.element["line"]), PartitionReports.integer(b.element["line"]))
            return x != y ? x < y : a.offset < b.offset
        }
        return .array(ordered.prefix(longest).map(\.element))
    }
}
