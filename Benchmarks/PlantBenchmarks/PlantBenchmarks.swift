import Benchmark
import Plants
import Random

// One env step of each plant with MuJoCo physics (and the pendulum), as a learner's rollout
// takes it: a seeded uniform action in the actuator range, the step, the observation; a seeded
// reset when the episode ends (falls included, as gymnasium's loop does). The same protocol runs
// through gymnasium's Python env.step in gymnasium_peer.py, so `compare-with-gymnasium` reports
// the ratio of one to the other measured in one run. Reported per step (1,000 steps per sample).
// Thresholds/PlantBenchmarks.*.p90.json pin the malloc count to zero.

/// Steps `plant` through `steps` env steps as described above.
@inline(never)
func rollout(_ plant: any Plant, steps: Int, generator: inout Xoshiro256StarStar,
             action: UnsafeMutableBufferPointer<Double>, observation: UnsafeMutableBufferPointer<Double>) -> Double {
    var total = 0.0
    for _ in 0..<steps {
        for i in 0..<action.count {
            action[i] = plant.actionLow[i] + (plant.actionHigh[i] - plant.actionLow[i]) * generator.nextUniform()
        }
        total += plant.step(action: UnsafeBufferPointer(action))
        plant.observe(into: observation)
        if plant.isEpisodeOver { plant.reset(using: &generator) }
    }
    return total
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo,
                                                maxDuration: .seconds(3), maxIterations: 200)
    for name in ["pendulum"] + PlantRegistry.mujocoNames {
        Benchmark("env step \(name)", configuration: configuration) { benchmark in
            let plant: any Plant
            do { plant = try PlantRegistry.plant(named: name) } catch { fatalError("\(error)") }
            var generator = Xoshiro256StarStar(seed: 1)
            let action = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.actionSize)
            let observation = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.observationSize)
            defer { action.deallocate(); observation.deallocate() }
            plant.reset(using: &generator)
            blackHole(rollout(plant, steps: 100, generator: &generator, action: action, observation: observation))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(rollout(plant, steps: 1, generator: &generator, action: action, observation: observation))
            }
        }
    }
}
