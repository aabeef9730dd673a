import Net

/// A reward model r̂(s, a) learned from the rewards the plant reports, for plants whose reward
/// is not known to the learner (a board on the wire) or as a check on a known one: a tanh MLP on
/// (s, saturated a) → r̂, fitted by least squares on replay minibatches, its gradients r̂_s, r̂_a
/// by the network's input VJP (r̂_a is 0 where the actuator saturates). It serves the
/// model-based agents as their `TaskReward`. In simulation s' is a function of (s, a), so r̂ can
/// learn rewards that depend on s' (a MuJoCo walker's forward velocity) too. No terminal reward.
/// Real-time safe after `init`: fitting and evaluating allocate nothing.
public final class LearnedReward: TaskReward {
    public let observationSize: Int, actionSize: Int
    public let network: MLP
    public let optimizer: Adam
    /// The reward is `outputScale` × the network's output (about the size of one step's reward).
    public let outputScale: Float
    let actionLow: [Float], actionHigh: [Float]
    let batch: Minibatch
    public var generator: Xoshiro256StarStar
    public private(set) var steps = 0
    /// Mean squared error of the last fit step, in reward units².
    public private(set) var loss: Float = 0

    public init(observationSize: Int, actionSize: Int, hidden: [Int], batchSize: Int, learningRate: Float, outputScale: Float,
                actionLow: [Float], actionHigh: [Float], generator: inout Xoshiro256StarStar) {
        self.observationSize = observationSize
        self.actionSize = actionSize
        network = MLP(layerSizes: [observationSize + actionSize] + hidden + [1], maxBatch: batchSize)
        network.initializeParameters(using: &generator)
        optimizer = Adam(for: network, learningRate: learningRate)
        self.outputScale = outputScale
        self.actionLow = actionLow
        self.actionHigh = actionHigh
        batch = Minibatch(capacity: batchSize, stateSize: observationSize, actionSize: actionSize)
        self.generator = Xoshiro256StarStar(seed: generator.next())
    }

    @inline(__always) func setInput(sample b: Int, state s: (Int) -> Float, action a: (Int) -> Float) {
        let row = network.input(sample: b)
        for i in 0..<observationSize { row[i] = s(i) }
        for i in 0..<actionSize { row[observationSize + i] = min(max(a(i), actionLow[i]), actionHigh[i]) }
    }

    /// One least-squares step on a minibatch of `replay` (nothing while it holds fewer
    /// transitions than a minibatch). Returns the minibatch's mean squared error, or nil.
    @discardableResult
    public func fitStep(from replay: ReplayBuffer) -> Float? {
        let n = batch.capacity
        guard replay.count >= n else { return nil }
        batch.sample(n, from: replay, generator: &generator)
        for b in 0..<n { setInput(sample: b, state: { self.batch.state(b)[$0] }, action: { self.batch.action(b)[$0] }) }
        network.forward(batch: n)
        var total: Float = 0
        let scale = 1 / Float(n)
        for b in 0..<n {
            let error = outputScale * network.output(sample: b)[0] - batch.rewards[b]
            total += error * error * scale
            network.outputGradient(sample: b)[0] = error * outputScale * scale
        }
        network.backward(batch: n, parameterGradients: .overwrite, inputGradient: false)
        optimizer.clipAndStep(parameters: network.parameters, gradients: network.gradients, maxNorm: 10)
        steps += 1
        loss = total
        return total
    }

    public func reward(observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>) -> Double {
        setInput(sample: 0, state: { Float(observation[$0]) }, action: { Float(action[$0]) })
        network.forward(batch: 1)
        return Double(outputScale * network.output(sample: 0)[0])
    }

    public func rewardGradient(observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>,
                               dObservation: UnsafeMutableBufferPointer<Double>, dAction: UnsafeMutableBufferPointer<Double>) {
        setInput(sample: 0, state: { Float(observation[$0]) }, action: { Float(action[$0]) })
        network.forward(batch: 1)
        network.outputGradient(sample: 0)[0] = outputScale
        network.backward(batch: 1, parameterGradients: .skip, inputGradient: true)
        let g = network.inputGradient(sample: 0)
        for i in 0..<observationSize { dObservation[i] = Double(g[i]) }
        for i in 0..<actionSize {
            let a = Float(action[i])
            dAction[i] = a > actionLow[i] && a < actionHigh[i] ? Double(g[observationSize + i]) : 0
        }
    }

    public func terminalReward(observation: UnsafeBufferPointer<Double>) -> Double { 0 }
    public func terminalRewardGradient(observation: UnsafeBufferPointer<Double>, dObservation: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dObservation.count { dObservation[i] = 0 }
    }

    /// Network, optimiser, generator and step count as archive records (checkpoints).
    public func records(prefix: String) -> [ParameterArchive.Record] {
        [network.parameterRecord(named: prefix)] + optimizer.records(prefix: prefix + ".adam")
            + [generator.record(named: prefix + ".generator"), countersRecord(prefix + ".steps", [steps])]
    }

    public func load(from archive: ParameterArchive, prefix: String, path: String) throws(ParameterArchiveError) {
        try network.load(prefix, from: archive, path: path)
        try optimizer.load(from: archive, prefix: prefix + ".adam", path: path)
        generator = try .load(prefix + ".generator", from: archive, path: path)
        steps = try loadCounters(prefix + ".steps", count: 1, from: archive, path: path)[0]
    }
}
