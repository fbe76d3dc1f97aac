/// A trained matcher's model as a file: what `dedupe fit` writes on the driver and every scoring and
/// clustering task reads, so all of them weigh pairs with the very same numbers.
///
/// Every floating-point value is kept as its IEEE 754 bit pattern (hex), never as decimal text, so the
/// model read back is bit for bit the one fitted.
public struct FittedModel: Sendable, Codable, Equatable {
    public var m: [[String]]
    public var u: [[String]]
    public var lambda: String
    public var guardedWeights: [[String]]?
    public var trainingPrior: String
    /// Fields whose m came from the priors, and why.
    public var fallbacks: [[String]]
    public var iterations: Int
    public var converged: Bool

    init(model: FellegiSunterModel, trainingPrior: Double, fallbacks: [(String, WeightGuard.Problem)],
         outcome: ExpectationMaximisation.Outcome) {
        m = model.m.map { $0.map(Self.bits) }
        u = model.u.map { $0.map(Self.bits) }
        lambda = Self.bits(model.lambda)
        guardedWeights = model.guardedWeights.map { $0.map { $0.map(Self.bits) } }
        self.trainingPrior = Self.bits(trainingPrior)
        self.fallbacks = fallbacks.map { [$0.0, $0.1.rawValue] }
        iterations = outcome.iterations
        converged = outcome.converged
    }

    /// The model over `template`'s fields and levels, with these values.
    func model(over template: FellegiSunterModel) throws -> FellegiSunterModel {
        var model = template
        guard m.count == template.m.count, u.count == template.u.count else {
            throw FittedModelError("the model file has \(m.count) fields, the pipeline's dedupe compares \(template.m.count)")
        }
        model.m = try m.map { try $0.map(Self.value) }
        model.u = try u.map { try $0.map(Self.value) }
        model.lambda = try Self.value(lambda)
        model.guardedWeights = try guardedWeights.map { try $0.map { try $0.map(Self.value) } }
        return model
    }

    var problems: [(String, WeightGuard.Problem)] {
        fallbacks.compactMap { pair in pair.count == 2 ? WeightGuard.Problem(rawValue: pair[1]).map { (pair[0], $0) } : nil }
    }

    static func bits(_ value: Double) -> String { Hex.word(value.bitPattern) }

    static func value(_ text: String) throws -> Double {
        guard let bits = Hex.parseWord(text) else { throw FittedModelError("'\(text)' is not a model value") }
        return Double(bitPattern: bits)
    }
}

/// A model file that does not fit the pipeline's dedupe.
public struct FittedModelError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
