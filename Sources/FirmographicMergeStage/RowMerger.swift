import DomainNames
import Foundation
import LeadFacts
import LeadRecords
import PipelineSpec

extension FirmographicMergeStage {
    /// firmographic_merge bound to the run's schema: joins each row to the reference sources and merges the
    /// configured fields into the columns the stage added, with provenance.
    public struct RowMerger: StreamingStage {
        let stage: FirmographicMergeStage
        /// The configured fields bound to column positions, plain values only, so the per-row loop reads them
        /// without retaining anything.
        let compiled: [CompiledPlan]
        /// Every compiled plan's waterfall, back to back.
        let waterfalls: [Int]
        /// The highest column position the stage writes, plus one.
        let width: Int
        /// Where the lead's join keys are read (the normalized columns when normalize ran).
        let normDomain, domain, website, email, company: ColumnIndex?
        let matchColumn, scoreColumn, sourcesColumn: ColumnIndex
        /// Every column a row's merge writes, in writing order (match, score, sources, then each field's value
        /// and source), when they can be written at once; `nil` writes them one by one.
        let writtenColumns: [ColumnIndex]?

        let sources: [ReferenceSource]
        /// Per source, whether it joins by domain (``ReferenceSource/joinsByDomain``), read per row without the source.
        let joinsByDomain: [Bool]
        /// `firmo_match_sources` for each set of matched sources (bit `s` for source `s`), when there are few sources.
        let matchedNamesBySet: [String]
        var plans: [FieldPlan] { stage.plans }
        var join: DomainJoinIndex { stage.join }
        var nameIndex: NameJoinIndex { stage.nameIndex }
        var nameOnlySources: [Bool] { stage.nameOnlySources }
        var anyNameOnlySource: Bool { stage.anyNameOnlySource }
        var allSources: [Bool] { stage.allSources }
        var nameMatchEnabled: Bool { stage.nameMatchEnabled }
        var nameThreshold: Double { stage.nameThreshold }
        var companyKey: CompanyKey { stage.companyKey }

        init(stage: FirmographicMergeStage, compiled: [CompiledPlan], waterfalls: [Int], width: Int,
             normDomain: ColumnIndex?, domain: ColumnIndex?, website: ColumnIndex?, email: ColumnIndex?, company: ColumnIndex?,
             matchColumn: ColumnIndex, scoreColumn: ColumnIndex, sourcesColumn: ColumnIndex, writtenColumns: [ColumnIndex]?) {
            (self.stage, self.compiled, self.waterfalls, self.width) = (stage, compiled, waterfalls, width)
            (self.normDomain, self.domain, self.website, self.email, self.company) = (normDomain, domain, website, email, company)
            (self.matchColumn, self.scoreColumn, self.sourcesColumn, self.writtenColumns) = (matchColumn, scoreColumn, sourcesColumn, writtenColumns)
            sources = stage.sources
            joinsByDomain = stage.sources.map(\.joinsByDomain)
            let names = stage.sources.map(\.name)
            matchedNamesBySet = names.count > 8 ? [] : (0..<(1 << names.count)).map { set in
                names.indices.filter { set & (1 << $0) != 0 }.map { names[$0] }.joined(separator: ",")
            }
        }

        public func emptySummary() -> MergeCounts { MergeCounts(sources: sources.count, fields: plans.count) }

        public func process(_ records: inout [Record], counting counts: inout MergeCounts) {
            let sourceCount = sources.count
            var scratch = RowScratch(sources: sourceCount)
            let provenance = ChunkReferences(sources)
            var output = RowOutput(writer: writtenColumns.map(AddedColumnWriter.init))
            compiled.withUnsafeBufferPointer { plans in
                waterfalls.withUnsafeBufferPointer { waterfalls in
                    for index in records.indices where records[index].isActive {
                        records[index].pad(to: width)
                        let line = records[index].line
                        output.start()
                        mergeRow(&records[index].fields, line: line, plans: plans, waterfalls: waterfalls, provenance: provenance,
                                 scratch: &scratch, output: &output, counts: &counts)
                        output.finish(&records[index].fields)
                    }
                }
            }
        }

        /// The reference sources' packed values and provenance texts, behind plain pointers: a row gets their bytes
        /// copied in, and no string shared by the worker threads has its reference count bounced between their
        /// caches millions of times.
        struct ChunkReferences {
            let tables: [(values: UnsafeMutablePointer<UInt8>, valueEnds: UnsafeMutablePointer<UInt32>,
                          provenances: UnsafeMutablePointer<UInt8>, provenanceEnds: UnsafeMutablePointer<UInt32>,
                          provenanceOfRow: UnsafeMutablePointer<Int32>)]

            init(_ sources: [ReferenceSource]) {
                tables = sources.map {
                    ($0.table.valueBytes, $0.table.valueEnds, $0.table.provenanceBytes, $0.table.provenanceEnds, $0.table.provenanceOfRow)
                }
            }

            /// The provenance text of a source's row, as its UTF-8 bytes.
            @inline(__always) func provenance(source: Int, row: Int32) -> UnsafeBufferPointer<UInt8> {
                let table = tables[source]
                return ReferenceTable.text(Int(table.provenanceOfRow[Int(row)]), bytes: table.provenances, ends: table.provenanceEnds)
            }

            /// A field's value in a source's row, as its UTF-8 bytes.
            @inline(__always) func value(source: Int, row: Int32, slot: Int) -> UnsafeBufferPointer<UInt8> {
                let table = tables[source]
                return ReferenceTable.text(Int(row) * ReferenceTable.rowWidth + slot, bytes: table.values, ends: table.valueEnds)
            }
        }

        /// Where a row's merged values go: gathered and written into the row at once after the row is merged
        /// (25 values for eleven fields moved the row's text 25 times), or straight into the row.
        struct RowOutput {
            let writer: AddedColumnWriter?

            func start() { writer?.values.start() }

            @inline(__always) func set(_ column: Int, _ value: String, in row: inout PackedFields) {
                if let writer { writer.values.appendValue(value) } else { row[column] = value }
            }

            @inline(__always) func set(_ column: Int, bytes: UnsafeBufferPointer<UInt8>, in row: inout PackedFields) {
                if let writer {
                    writer.values.append(bytes)
                    writer.values.endValue()
                } else {
                    row.replace(column, with: bytes)
                }
            }

            func finish(_ row: inout PackedFields) { writer?.write(into: &row) }
        }

        /// Per-chunk buffers for one row's matches, reused from row to row.
        struct RowScratch {
            var rows: [Int32]
            var scores: [Double]
            var byName: [Bool]
            /// Per source, the row whose name key is the lead's, or -1.
            var exactRows: [Int32]
            /// Per source, whether the lead's own value agrees with it for the current field.
            var agreement: [Agreement]

            init(sources: Int) {
                rows = Array(repeating: -1, count: sources)
                scores = Array(repeating: 0, count: sources)
                byName = Array(repeating: false, count: sources)
                exactRows = Array(repeating: -1, count: sources)
                agreement = Array(repeating: .unknown, count: sources)
            }
        }

        /// The value at a column position, or empty when the lead has no such column.
        @inline(__always) private static func text(_ row: PackedFields, _ position: Int?) -> String {
            guard let position else { return "" }
            return row[position]
        }

        /// The join key and the position of the column it was read from: normalize's `norm_domain`,
        /// else the domain or website column, else the email's domain unless it is a free-mail provider's
        /// (position -1).
        @inline(__always) private func joinKey(_ row: PackedFields) -> (key: DomainJoinIndex.Key, position: Int)? {
            for column in [normDomain, domain, website] {
                guard let position = column?.position else { continue }
                // norm_domain is already registrable, but keying it the same way keeps one definition of the key.
                let key = row.withUTF8(position) { $0.isEmpty ? nil : join.key(ofWebsite: $0) }
                if let key, key.hasDomain { return (key, position) }
            }
            let address = Self.text(row, email?.position)
            guard !address.isEmpty else { return nil }
            let key = join.key(ofEmail: address)
            return key.hasDomain ? (key, -1) : nil
        }

        private func mergeRow(_ row: inout PackedFields, line: Int, plans: UnsafeBufferPointer<CompiledPlan>,
                              waterfalls: UnsafeBufferPointer<Int>, provenance: ChunkReferences, scratch: inout RowScratch,
                              output: inout RowOutput, counts: inout MergeCounts) {
            let joined = joinKey(row)
            var first = -1
            for s in sources.indices { scratch.rows[s] = -1 }
            if let joined {
                for s in sources.indices where joinsByDomain[s] {
                    let found = join.row(source: s, key: joined.key)
                    if found >= 0 { (scratch.rows[s], scratch.scores[s], scratch.byName[s]) = (found, 1, false) }
                }
            }
            // Without a domain every source may join by name (when name matching is on); with one, only `key: name` sources.
            var ambiguous = false
            if joined == nil ? nameMatchEnabled || anyNameOnlySource : anyNameOnlySource {
                ambiguous = joinByName(row, line: line, eligible: joined == nil && nameMatchEnabled ? allSources : nameOnlySources,
                                       scratch: &scratch, counts: &counts)
            }
            var matchedSet = 0
            for s in sources.indices where scratch.rows[s] >= 0 {
                counts.matchedPerSource[s] += 1
                if s < 64 { matchedSet |= 1 << s }
                if first < 0 { first = s }
            }
            if first >= 0 {
                if scratch.byName[first] { counts.matchedByName += 1 } else { counts.matchedByDomain += 1 }
                output.set(matchColumn.position, scratch.byName[first] ? "name" : "domain", in: &row)
                output.set(scoreColumn.position, scratch.scores[first] == 1 ? "1" : String(format: "%.3f", scratch.scores[first]), in: &row)
                output.set(sourcesColumn.position, matchedSet < matchedNamesBySet.count ? matchedNamesBySet[matchedSet] : matchedNames(scratch),
                           in: &row)
            } else {
                if ambiguous {
                    // Counted (with its sample) where the name join found it ambiguous.
                } else if joined == nil && Self.text(row, company?.position).isEmpty {
                    counts.withoutKey += 1
                } else {
                    counts.unmatched += 1
                }
                output.set(matchColumn.position, ambiguous ? FirmographicMergeStage.ambiguousMatch : "", in: &row)
                output.set(scoreColumn.position, "", in: &row)
                output.set(sourcesColumn.position, "", in: &row)
            }
            for p in plans.indices {
                let plan = plans[p]
                let own = plan.own >= 0 && !row.isEmpty(plan.own) ? row[plan.own].trimmedSpaces : ""
                if !own.isEmpty { counts.filledBefore[p] += 1 }
                if own.isEmpty {
                    // Nothing to keep and nothing to disagree with: the first matched source with a value wins.
                    var found = false
                    for w in plan.sourcesStart..<(plan.sourcesStart + plan.sourcesCount) {
                        let s = waterfalls[w]
                        let r = scratch.rows[s]
                        guard r >= 0 else { continue }
                        let value = provenance.value(source: s, row: r, slot: plan.slot)
                        guard !value.isEmpty else { continue }
                        output.set(plan.value, bytes: value, in: &row)
                        output.set(plan.source, bytes: provenance.provenance(source: s, row: r), in: &row)
                        counts.fromReference[p] += 1
                        counts.filledAfter[p] += 1
                        found = true
                        break
                    }
                    if !found {
                        output.set(plan.value, "", in: &row)
                        output.set(plan.source, "", in: &row)
                    }
                } else {
                    let chosen = mergeWithOwnValue(own, plan: plan, planIndex: p, row: &row, line: line, waterfalls: waterfalls,
                                                   provenance: provenance, leadDomain: plan.own == joined?.position ? joined?.key : nil,
                                                   scratch: &scratch, output: &output, counts: &counts)
                    if !chosen.isEmpty { counts.filledAfter[p] += 1 }
                }
            }
        }

        /// The names of the sources the row matched, comma-separated, for a stage with many sources.
        private func matchedNames(_ scratch: RowScratch) -> String {
            sources.indices.filter { scratch.rows[$0] >= 0 }.map { sources[$0].name }.joined(separator: ",")
        }

        /// Joins the lead by company name to the best reference company across the `eligible` sources
        /// (an equal key anywhere beats any near name), setting `scratch.rows` for every eligible
        /// source that has that company. Returns whether the name fit two or more companies equally.
        private func joinByName(_ row: PackedFields, line: Int, eligible: [Bool],
                                scratch: inout RowScratch, counts: inout MergeCounts) -> Bool {
            let leadName = Self.text(row, company?.position)
            let key = companyKey.distinctiveKey(leadName) ?? ""
            guard !key.isEmpty else { return false }
            for s in sources.indices { scratch.exactRows[s] = eligible[s] ? sources[s].byNameKey[key] ?? -1 : -1 }
            let fuzzy = nameMatchEnabled && nameThreshold < 1
            switch nameIndex.match(key: key, exactRows: scratch.exactRows, eligible: eligible, fuzzy: fuzzy, threshold: nameThreshold) {
            case .none:
                return false
            case .ambiguous(let candidates):
                var described: [String] = []
                for candidate in candidates {
                    let company = nameIndex.companies[Int(candidate)]
                    for s in sources.indices where eligible[s] && company.rows[s] >= 0 {
                        described.append(sources[s].value(row: company.rows[s], slot: Self.companyNameSlot) + " (" + sources[s].name + ")")
                        break
                    }
                }
                counts.note(AmbiguousName(line: line, leadName: leadName, candidates: described,
                                          reason: candidates.count == 1 ? .sameNameDifferentDomains : .equallyNear))
                return true
            case .company(let number, let kind, let score):
                let company = nameIndex.companies[Int(number)]
                var sample: NameMatchSample?
                for s in sources.indices where eligible[s] {
                    let exact = scratch.exactRows[s]
                    let r = exact >= 0 && nameIndex.companyOfRow[s][Int(exact)] == number ? exact : company.rows[s]
                    guard r >= 0 else { continue }
                    (scratch.rows[s], scratch.scores[s], scratch.byName[s]) = (r, score, true)
                    if sample == nil {
                        sample = NameMatchSample(line: line, leadName: leadName, referenceName: sources[s].value(row: r, slot: Self.companyNameSlot),
                                                 source: sources[s].name, kind: kind, score: score)
                    }
                }
                if let sample { counts.note(sample) }
                return false
            }
        }

        private static let companyNameSlot = FirmographicField.all.firstIndex(of: .companyName)!

        /// A field whose lead has its own value: the waterfall decides, and a reference that says
        /// otherwise is a conflict.
        /// - Parameter leadDomain: the lead's join key when the plan's own column is the one it was read from.
        /// - Returns: the value written.
        private func mergeWithOwnValue(_ own: String, plan: CompiledPlan, planIndex p: Int, row: inout PackedFields,
                                       line: Int, waterfalls: UnsafeBufferPointer<Int>, provenance: ChunkReferences,
                                       leadDomain: DomainJoinIndex.Key?, scratch: inout RowScratch, output: inout RowOutput,
                                       counts: inout MergeCounts) -> String {
            for s in scratch.agreement.indices { scratch.agreement[s] = .unknown }
            var ownNameKey: String?
            func agrees(_ s: Int, _ r: Int32, _ value: String) -> Bool {
                if scratch.agreement[s] == .unknown {
                    let agreed = agree(own, value, comparison: plan.comparison, source: s, row: r, leadDomain: leadDomain,
                                       ownNameKey: &ownNameKey)
                    scratch.agreement[s] = agreed ? .agrees : .disagrees
                }
                return scratch.agreement[s] == .agrees
            }
            var chosen = ""
            var chosenFrom = ValueOrigin.none
            var conflict = -1
            var conflictValue = ""
            for w in plan.waterfallStart..<(plan.waterfallStart + plan.waterfallCount) {
                let candidate = waterfalls[w]
                let value: String
                if candidate >= 0 {
                    let r = scratch.rows[candidate]
                    guard r >= 0 else { continue }
                    value = sources[candidate].value(row: r, slot: plan.slot)
                    if !value.isEmpty, conflict < 0, !agrees(candidate, r, value) {
                        conflict = candidate
                        conflictValue = value
                    }
                } else {
                    value = own
                }
                if !value.isEmpty, case .none = chosenFrom {
                    chosen = value
                    chosenFrom = candidate >= 0 ? .source(candidate) : .lead
                }
            }
            // A conflict may sit behind the winner in the waterfall, or with a source it leaves out; look at every matched source.
            if conflict < 0 {
                for s in sources.indices {
                    let r = scratch.rows[s]
                    guard r >= 0 else { continue }
                    let value = sources[s].value(row: r, slot: plan.slot)
                    if !value.isEmpty, !agrees(s, r, value) {
                        conflict = s
                        conflictValue = value
                        break
                    }
                }
            }
            output.set(plan.value, chosen, in: &row)
            switch chosenFrom {
            case .none: output.set(plan.source, "", in: &row)
            case .lead: output.set(plan.source, MergePolicy.inputName, in: &row)
            case .source(let s):
                output.set(plan.source, bytes: provenance.provenance(source: s, row: scratch.rows[s]), in: &row)
                counts.fromReference[p] += 1
            }
            if conflict >= 0 {
                counts.conflicts[p] += 1
                let overwritten = if case .source = chosenFrom { true } else { false }
                if overwritten { counts.overwritten[p] += 1 }
                counts.note(MergeConflict(line: line, field: plans[p].field.name, leadValue: own, referenceValue: conflictValue,
                                          source: sources[conflict].name,
                                          resolution: overwritten ? "overwritten" : "kept_lead_value"))
            }
            return chosen
        }

        /// Whether the lead's value and a reference value say the same thing for a field.
        private func agree(_ lead: String, _ reference: String, comparison: Comparison, source: Int, row: Int32,
                           leadDomain: DomainJoinIndex.Key?, ownNameKey: inout String?) -> Bool {
            if comparison == .registrableDomain {
                // The domain numbers first: equal numbers settle it without reading the reference text,
                // which is usually not in the cache.
                let number = (leadDomain ?? join.key(ofWebsite: lead)).number
                return number >= 0 && number == join.rowDomain(source: source, row: row) || lead.equalsIgnoringCase(reference)
            }
            if lead.equalsIgnoringCase(reference) { return true }
            switch comparison {
            case .registrableDomain:
                return false
            case .companyNameKey:
                if ownNameKey == nil { ownNameKey = companyKey.distinctiveKey(lead) ?? "" }
                return ownNameKey == sources[source].rowNameKeys[Int(row)]
            case .number:
                return Double(lead.filter { $0 != "," }) == Double(reference.filter { $0 != "," })
            case .text:
                return false
            }
        }

        public func report(_ counts: MergeCounts) -> [(String, ReportValue)] {
            var fields: [(String, ReportValue)] = []
            for (p, plan) in plans.enumerated() {
                fields.append((plan.field.name, .object([
                    ("policy", .string(plan.policy.label)),
                    ("from_reference", .integer(counts.fromReference[p])),
                    ("conflicts", .integer(counts.conflicts[p])),
                    ("overwritten", .integer(counts.overwritten[p])),
                    ("filled_before", .integer(counts.filledBefore[p])),
                    ("filled_after", .integer(counts.filledAfter[p])),
                ])))
            }
            let sample = counts.sample.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
            return [
                ("matched_by_domain", .integer(counts.matchedByDomain)),
                ("matched_by_name", .integer(counts.matchedByName)),
                ("unmatched", .integer(counts.unmatched)),
                ("without_key", .integer(counts.withoutKey)),
                ("name_match", .object([
                    ("kinds", .object(NameJoinIndex.Kind.allCases.map { ($0.rawValue, .integer(counts.nameKinds[$0] ?? 0)) })),
                    ("scores", counts.nameScores.report),
                    ("weakest", .array(counts.weakestNames.sorted { ($0.score, $0.line) < ($1.score, $1.line) }.map(\.report))),
                ])),
                ("ambiguous", .object([
                    ("total", .integer(counts.ambiguous)),
                    ("sample", .array(counts.ambiguousSample.sorted { $0.line < $1.line }.map(\.report))),
                ])),
                ("sources", .array(sources.enumerated().map { s, source in
                    .object([("name", .string(source.name)), ("as_of", .string(source.asOf)), ("rows", .integer(source.rowsRead)),
                             ("rows_skipped", .integer(source.rowsSkipped)), ("duplicate_domains", .integer(source.duplicateDomains)),
                             ("matched_leads", .integer(counts.matchedPerSource[s]))])
                })),
                ("fields", .object(fields)),
                ("conflicts", .object([
                    ("total", .integer(counts.conflicts.reduce(0, +))),
                    ("sample", .array(sample.map(\.report))),
                ])),
            ]
        }
    }
}

/// Where a field's merged value came from.
enum ValueOrigin {
    /// No source had a value and neither had the lead.
    case none
    /// The lead's own value.
    case lead
    /// The reference source at this index.
    case source(Int)
}

/// Whether a source's value says what the lead's does, worked out once per row and source.
enum Agreement {
    case unknown, agrees, disagrees
}
