import Benchmark
import Learn
import Net
import Training
import _Tracepoints

// The network operations the control and learner threads run, at the sizes the issue names.
// Every benchmark measures wall clock and mallocCountTotal; Thresholds/*.p90.json pin the malloc
// count to zero so `swift package benchmark thresholds check` fails when an allocation creeps in.
// Reported per call: scalingFactor .kilo runs 1,000 calls per sample and reports the per-call time.

/// A network with random parameters and `batch` random inputs and output cotangents.
func makeNetwork(_ sizes: [Int], batch: Int, seed: UInt64) -> MLP {
    var rng = Xoshiro256StarStar(seed: seed)
    let net = MLP(layerSizes: sizes, maxBatch: batch)
    net.initializeParameters(using: &rng)
    for s in 0..<batch {
        for i in 0..<net.inputSize { net.input(sample: s)[i] = rng.nextUniform(-1, 1) }
        for o in 0..<net.outputSize { net.outputGradient(sample: s)[o] = rng.nextUniform(-1, 1) / Float(batch) }
    }
    return net
}

/// The update benchmarks: a Trainer for `fields` (the pendulum unless they say otherwise) takes
/// 1,000 real steps into its replay, its agent (of type `A`, called on the concrete type) makes
/// one update, then each measured iteration is one more update.
func measureUpdates<A: Agent>(of _: A.Type, fields: [String: JSONValue], _ benchmark: Benchmark) {
    let c = try! TrainingConfiguration.resolve([.init(source: "the benchmark", fields: fields)])
    let trainer = try! Trainer(c)
    for _ in 0..<1000 { trainer.step() }
    let agent = trainer.agent as! A
    agent.update()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        agent.update()
    }
    blackHole(trainer.policy.mean.parameters[0])
}

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal]
    let fast = Benchmark.Configuration(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(3))
    let slow = Benchmark.Configuration(metrics: metrics, scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 3000)

    // Policy 8→100→100→2, batch 1: the control step's forward pass.
    Benchmark("policy forward batch1 8-100-100-2", configuration: fast) { benchmark in
        let policy = makeNetwork([8, 100, 100, 2], batch: 1, seed: 1)
        policy.forward(batch: 1)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            policy.forward(batch: 1)
            blackHole(policy.output(sample: 0)[0])
        }
    }

    // Policy 8→100→100→2, batch 64, forward + backward (parameter gradients).
    Benchmark("policy forward+backward batch64 8-100-100-2", configuration: slow) { benchmark in
        let policy = makeNetwork([8, 100, 100, 2], batch: 64, seed: 2)
        policy.forward(batch: 64)
        policy.backward(batch: 64, parameterGradients: .overwrite, inputGradient: false)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            policy.forward(batch: 64)
            policy.backward(batch: 64, parameterGradients: .overwrite, inputGradient: false)
            blackHole(policy.gradients[0])
        }
    }

    // Value 8→400→200→1, batch 64, forward + backward (parameter gradients).
    Benchmark("value forward+backward batch64 8-400-200-1", configuration: slow) { benchmark in
        let value = makeNetwork([8, 400, 200, 1], batch: 64, seed: 3)
        value.forward(batch: 64)
        value.backward(batch: 64, parameterGradients: .overwrite, inputGradient: false)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            value.forward(batch: 64)
            value.backward(batch: 64, parameterGradients: .overwrite, inputGradient: false)
            blackHole(value.gradients[0])
        }
    }

    // Dynamics model: 8 sub-networks 10→20→20→1, batch 64, forward + backward (parameter gradients).
    Benchmark("model forward+backward batch64 8x 10-20-20-1", configuration: slow) { benchmark in
        let model = (0..<8).map { makeNetwork([10, 20, 20, 1], batch: 64, seed: 10 + UInt64($0)) }
        for net in model {
            net.forward(batch: 64)
            net.backward(batch: 64, parameterGradients: .overwrite, inputGradient: false)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for net in model {
                net.forward(batch: 64)
                net.backward(batch: 64, parameterGradients: .overwrite, inputGradient: false)
            }
            blackHole(model[7].gradients[0])
        }
    }

    // Adam step over the value network's parameters (81,201 real, 83,616 stored floats).
    Benchmark("adam step value 8-400-200-1", configuration: slow) { benchmark in
        let value = makeNetwork([8, 400, 200, 1], batch: 1, seed: 4)
        let adam = Adam(for: value)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            adam.step(parameters: value.parameters, gradients: value.gradients)
        }
        blackHole(value.parameters[0])
    }

    // One SVG(1)-ER update (model + value + policy step, batch 64, pendulum sizes: policy
    // 3→100→100→1, model 3 × 4→20→20→1, value 3→200→100→1), on a replay of 1,000 real steps.
    Benchmark("svg1-er update batch64 pendulum", configuration: slow) { benchmark in
        // The plain update of docs/algorithms.md §3.1, as the PyTorch peer runs it: batch 64 (the
        // pendulum's training default is 128), no KL term, no penalty.
        let plain: [String: JSONValue] = ["batchSize": .int(64), "klWeight": .int(0), "preSquashPenalty": .int(0),
                                          "warmupSteps": .int(1_000_000)]
        measureUpdates(of: SVG1ER.self, fields: ["hyperparameters": .object(plain)], benchmark)
    }

    // One SAC-SVG(2) update (model, twin critics, actor through the two-step expansion,
    // temperature; docs/algorithms.md §3.6) on the pendulum: batch 256, policy 3→W→W→2 (mean and
    // log σ), critics 2 × 4→W→W→1 with targets, model 3 × 4→64→64→1 on 64 two-step sequences;
    // the expansion from the first update (no model-free phase). W = 256 (SB3's SAC sizes, the
    // MuJoCo tasks' default) and W = 64 (the pendulum's default). The peer is
    // pytorch_sacsvg_update.py, with the same W.
    for width in [256, 64] {
        let name = "sac-svg(2) update batch256 pendulum" + (width == 256 ? "" : " \(width)-\(width)")
        Benchmark(name, configuration: slow) { benchmark in
            let hidden: JSONValue = .array([.int(Int64(width)), .int(Int64(width))])
            let fields: [String: JSONValue] = ["algorithm": .string("sac-svg"), "plant": .string("pendulum"),
                                               "policy": .object(["hidden": hidden]),
                                               "hyperparameters": .object(["horizon": .int(2), "modelFreeUpdates": .int(0), "batchSize": .int(256),
                                                                           "warmupSteps": .int(1_000_000), "valueHidden": hidden])]
            measureUpdates(of: SACSVG.self, fields: fields, benchmark)
        }
    }

    // One 256→256 dense layer at batch 256: the forward is a 256×256×256 matrix product, the
    // yardstick numpy's sgemm of the same shape (pytorch_peer.py prints it). Forward, and
    // forward + backward with the weight gradient and the input VJP (three such products).
    Benchmark("dense forward batch256 256x256", configuration: slow) { benchmark in
        let dense = makeNetwork([256, 256], batch: 256, seed: 20)
        dense.forward(batch: 256)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            dense.forward(batch: 256)
            blackHole(dense.output(sample: 0)[0])
        }
    }
    Benchmark("dense forward+backward batch256 256x256", configuration: slow) { benchmark in
        let dense = makeNetwork([256, 256], batch: 256, seed: 21)
        dense.forward(batch: 256)
        dense.backward(batch: 256, parameterGradients: .overwrite, inputGradient: true)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            dense.forward(batch: 256)
            dense.backward(batch: 256, parameterGradients: .overwrite, inputGradient: true)
            blackHole(dense.gradients[0])
        }
    }

    // One LTTng-UST tracepoint call (svgrt:cycle_end) with no tracing session active: the cost
    // every control cycle pays for having tracing compiled in.
    Benchmark("tracepoint cycle_end no session", configuration: fast) { benchmark in
        var cycle: Int64 = 0
        for _ in benchmark.scaledIterations {
            svgrt_trace_cycle_end(cycle, 1, 2, 3)
            cycle &+= 1
        }
        blackHole(cycle)
    }

    // 1,000 Gaussian draws (the exploration noise of 500 control steps of a 2-D action).
    Benchmark("gaussian draws x1000", configuration: slow) { benchmark in
        var rng = Xoshiro256StarStar(seed: 5)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var sum = 0.0
            for _ in 0..<1000 { sum += rng.nextGaussian() }
            blackHole(sum)
        }
    }
}
