import ContactListGenerator
import Foundation
import LeadRecords
import PipelineSpec
import Testing
@testable import DedupeStage

/// `dedupe: {}` on the contact-list generator, written independently of the one the stage was developed on
/// (Zipf account sizes, home cities, per-account email patterns, namesakes): the defaults must hold there too.
@Suite struct IndependentGeneratorTests {
    @Test func defaultsFindTheSamePeopleOnAnIndependentlyGeneratedContactList() throws {
        var generator = ContactListGenerator(.init(rows: 6000, seed: 11))
        let rows = generator.generate()
        var schema = Schema(inputColumns: ContactListGenerator.columns)
        var records = rows.enumerated().map { Record(values: $0.element.values, line: $0.offset + 2) }
        var bindings = ColumnBindings()
        let mapping: [(String, CanonicalField)] = [
            ("Contact ID", .recordID), ("First", .firstName), ("Last", .lastName), ("E-mail Address", .email),
            ("Account", .company), ("Account Website", .website), ("Phone", .phone), ("City", .city),
            ("Country", .country), ("LinkedIn", .linkedinURL),
        ]
        for (column, field) in mapping { bindings[field] = schema.index(of: column) }
        let stage = try DedupeStage(options: OptionValues(schema: DedupeStage.descriptor.options), context: StageContext(pipelineFile: "t.yml"))
        _ = try stage.bind(schema: &schema, columns: bindings).processAll(&records)
        let entity = schema.index(of: "entity_id")!
        let evaluation = PairwiseEvaluation(predicted: records.map { $0[entity] }, truth: rows.map(\.personID))
        #expect(evaluation.precision >= 0.97, "\(evaluation)")
        #expect(evaluation.f1 >= 0.9, "\(evaluation)")
    }
}
