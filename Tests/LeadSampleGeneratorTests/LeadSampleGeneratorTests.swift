import LeadSampleGenerator
import Testing

@Suite("Sample generator")
struct LeadSampleGeneratorTests {
    func rows(seed: UInt64, count: Int = 3000) -> [LeadRow] {
        var config = LeadSampleGenerator.Configuration(rows: count, seed: seed)
        config.malformedRows = 3
        var generator = LeadSampleGenerator(config)
        var rows: [LeadRow] = []
        generator.generate { rows.append($0) }
        return rows
    }

    @Test func theSameSeedGivesTheSameRows() {
        #expect(rows(seed: 7).map(\.csvLine) == rows(seed: 7).map(\.csvLine))
        #expect(rows(seed: 7).map(\.csvLine) != rows(seed: 8).map(\.csvLine))
    }

    @Test func plantsDuplicatesCommonNamesAndProblems() {
        let generated = rows(seed: 42)
        let entities = Set(generated.map(\.entityID))
        let duplicateShare = 1 - Double(entities.count) / Double(generated.count)
        #expect(duplicateShare > 0.1 && duplicateShare < 0.3)
        #expect(generated.filter { $0.malformed != nil }.count == 3)
        #expect(generated.contains { $0.values[3].isEmpty })
        #expect(generated.contains { $0.values[3].contains("+") })
        // Different people who share a full name: the hard negatives of dedupe.
        var entitiesByName: [String: Set<String>] = [:]
        for row in generated { entitiesByName["\(row.values[1]) \(row.values[2])", default: []].insert(row.entityID) }
        #expect(entitiesByName.values.contains { $0.count > 1 })
        #expect(generated.allSatisfy { $0.values.count == LeadSampleGenerator.leadColumns.count })
    }
}
