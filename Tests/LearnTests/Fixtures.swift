import Learn
import Net
import TestSupport
import Plants
import Training
import Foundation

/// Small random networks and Double references of them, shared by the gradient tests.
struct SmallLearner {
    let policy: GaussianPolicy
    let model: DynamicsModel
    let value: ValueFunction
    let reward: PlantReward
    let plant: any Plant

    let squash: Bool

    init(plant: any Plant, seed: UInt64, batch: Int = 64, squash: Bool = false, stateDependentStd: Bool = false) {
        self.plant = plant
        self.squash = squash
        var g = Xoshiro256StarStar(seed: seed)
        let S = plant.observationSize, A = plant.actionSize
        policy = GaussianPolicy(observationSize: S, actionSize: A, hidden: [16, 16], maxBatch: batch, initialStd: 0.4,
                                learningRate: 1e-3,
                                actionLow: squash ? plant.actionLow.map(Float.init) : nil,
                                actionHigh: squash ? plant.actionHigh.map(Float.init) : nil,
                                stateDependentStd: stateDependentStd, generator: &g)
        // Make the mean's last layer as large as its others, so gradients are not tiny.
        policy.mean.initializeParameters(using: &g)
        model = DynamicsModel(stateSize: S, actionSize: A, hidden: [8, 8], maxBatch: batch, learningRate: 1e-3, generator: &g)
        for i in 0..<S { model.logStd[i] = -2 + 0.3 * Float(i) }
        value = ValueFunction(stateSize: S, hidden: [16, 16], maxBatch: batch, learningRate: 1e-3, targetCopyInterval: 50, generator: &g)
        reward = PlantReward(plant)
    }

    var policyReference: ReferenceMLP { ReferenceMLP(policy.mean) }

    /// μ(s) in Double: the network's output, squashed into the actuator box when the policy is.
    func mean(_ p: ReferenceMLP, _ s: [Double]) -> [Double] {
        let z = Array(p.forward(s).prefix(policy.actionSize))
        guard squash else { return z }
        return (0..<z.count).map { i in
            let c = (plant.actionLow[i] + plant.actionHigh[i]) / 2, h = (plant.actionHigh[i] - plant.actionLow[i]) / 2
            return c + h * Foundation.tanh(z[i])
        }
    }
    /// log σ(s) in Double: the per-dimension `offset`, plus the σ head's output when σ depends on
    /// the state (the tests keep clear of the clamp).
    func logStds(_ p: ReferenceMLP, _ s: [Double], offset: [Double]) -> [Double] {
        guard policy.stateDependentStd else { return offset }
        let z = p.forward(s)
        return (0..<policy.actionSize).map { offset[$0] + z[policy.actionSize + $0] }
    }
    var modelReferences: [ReferenceMLP] { model.networks.map(ReferenceMLP.init) }
    var valueReference: ReferenceMLP { ReferenceMLP(value.network) }

    /// The policy's analytic gradient (the negated descent direction it computed, mean network
    /// parameters then log σ) next to central differences (h = 1e-6) of `objective`, evaluated
    /// with the Double reference of the mean network and the given log σ.
    func policyGradients(against objective: (ReferenceMLP, [Double]) -> Double) -> (analytic: [Double], numeric: [Double]) {
        let reference = policyReference
        let logStd = (0..<policy.actionSize).map { Double(policy.logStd[$0]) }
        var analytic: [Double] = [], numeric: [Double] = []
        let h = 1e-6
        var perturbed = reference
        for index in reference.realParameterIndices {
            let original = perturbed.parameters[index]
            perturbed.parameters[index] = original + h
            let plus = objective(perturbed, logStd)
            perturbed.parameters[index] = original - h
            let minus = objective(perturbed, logStd)
            perturbed.parameters[index] = original
            numeric.append((plus - minus) / (2 * h))
            analytic.append(-Double(policy.mean.gradients[index]))
        }
        for i in 0..<policy.actionSize {
            var plus = logStd, minus = logStd
            plus[i] += h; minus[i] -= h
            numeric.append((objective(reference, plus) - objective(reference, minus)) / (2 * h))
            analytic.append(-Double(policy.logStdGradient[i]))
        }
        return (analytic, numeric)
    }

    func r(_ s: [Double], _ a: [Double]) -> Double {
        s.withUnsafeBufferPointer { sp in a.withUnsafeBufferPointer { plant.reward(observation: sp, action: $0) } }
    }

    func terminal(_ s: [Double]) -> Double {
        s.withUnsafeBufferPointer { plant.terminalReward(observation: $0) }
    }
}

/// Array conveniences for tests (pointers taken for the duration of the call only).
extension ReplayBuffer {
    func add(_ s: [Float], _ a: [Float], next: [Float], logProbability: Float = 0, reward: Float = 0) {
        s.withUnsafeBufferPointer { sp in
            a.withUnsafeBufferPointer { ap in
                next.withUnsafeBufferPointer { np in
                    add(state: sp, action: ap, reward: reward, nextState: np, logProbability: logProbability,
                        terminal: false, episode: 0, step: 0)
                }
            }
        }
    }
}

extension GaussianPolicy {
    @discardableResult
    func act(_ s: [Float], into a: inout [Float], generator: inout Xoshiro256StarStar) -> Float {
        s.withUnsafeBufferPointer { sp in
            a.withUnsafeMutableBufferPointer { act(sp, into: $0, deterministic: false, generator: &generator) }
        }
    }
}

/// The defaults of `plant` and `algorithm` with `hyperparameters`, `policy` and top-level
/// `fields` merged over them, as `svgrt train` resolves its options.
func configuration(_ plant: String, _ algorithm: Algorithm? = nil, hyperparameters: [String: JSONValue] = [:],
                   policy: [String: JSONValue] = [:], fields: [String: JSONValue] = [:]) throws -> TrainingConfiguration {
    var top = fields
    top["plant"] = .string(plant)
    if let algorithm { top["algorithm"] = .string(algorithm.rawValue) }
    if !hyperparameters.isEmpty { top["hyperparameters"] = .object(hyperparameters) }
    if !policy.isEmpty { top["policy"] = .object(policy) }
    return try TrainingConfiguration.resolve([.init(source: "the test", fields: top)])
}

/// A run of `configuration` checkpointed at step 400 and one resumed from that checkpoint, both
/// continued to step 800: for the bit-exact resume tests.
func originalAndResumed(_ configuration: TrainingConfiguration) throws -> (original: Trainer, resumed: Trainer) {
    let path = NSTemporaryDirectory() + "svgrt-resume-\(UUID().uuidString).svgp"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let original = try Trainer(configuration)
    original.atEpisodeBoundary = { t in if t.environmentSteps == 400 { try! t.writeCheckpoint(to: path) } }
    while original.environmentSteps < 800 { original.step() }
    let resumed = try Trainer(configuration)
    try resumed.restore(from: path)
    while resumed.environmentSteps < 800 { resumed.step() }
    return (original, resumed)
}

/// Every value a trainer's checkpoint holds, as bit patterns.
func checkpointBits(_ t: Trainer) -> [UInt32] { t.checkpointArchive().records.flatMap { $0.values.map(\.bitPattern) } }
