import Foundation
import Learn
import Plants
import Training

/// The level a policy trained from scratch, offline, under a change's new conditions reaches:
/// what an adapting policy is measured against. Trains with the run's configuration under those
/// conditions (`svgrt train … --actuator-gain G --actuator-noise N --steps S` does the same) and
/// takes the mean of its last three evaluations. Cached in the run folder by conditions, steps,
/// seed and algorithm, so a second report does not train again.
struct AdaptationYardstick: Codable {
    var conditions: PlantConditions
    var steps: Int
    var seed: UInt64
    var algorithm: String
    var level: Double
    var command: String

    static func cachePath(_ output: String, _ conditions: PlantConditions, steps: Int) -> String {
        output + "/yardstick-gain\(conditions.actuatorGain)-noise\(conditions.actuatorNoise)"
            + (conditions.weakActuator >= 0 ? "-weak\(conditions.weakActuator)at\(conditions.weakActuatorGain)" : "") + "-\(steps).json"
    }

    /// The cached level for these conditions, or a new one trained now (`log` reports progress).
    static func level(for conditions: PlantConditions, configuration run: TrainingConfiguration, steps: Int, output: String,
                      log: (String) -> Void) throws -> AdaptationYardstick {
        let path = cachePath(output, conditions, steps: steps)
        if let data = FileManager.default.contents(atPath: path),
           let cached = try? JSONDecoder().decode(AdaptationYardstick.self, from: data),
           cached.conditions == conditions, cached.steps == steps, cached.seed == run.seed, cached.algorithm == run.algorithm.rawValue {
            return cached
        }
        var c = run
        c.conditions = conditions
        c.steps = steps
        let trainer = try Trainer(c)
        var evaluations: [Double] = []
        let start = Date()
        log("svgrt run: from-scratch yardstick under \(conditions.label): training offline for \(steps) steps …")
        while trainer.environmentSteps < steps {
            trainer.step()
            if trainer.environmentSteps % c.evaluationInterval == 0 {
                evaluations.append(trainer.evaluate())
                let elapsed = Date().timeIntervalSince(start), done = Double(trainer.environmentSteps) / Double(steps)
                log(String(format: "svgrt run: yardstick %d/%d steps, evaluation %.1f, %.0f s left", trainer.environmentSteps, steps,
                           evaluations.last!, elapsed / done * (1 - done)))
            }
        }
        let last = evaluations.suffix(3)
        let level = last.isEmpty ? trainer.evaluate() : last.reduce(0, +) / Double(last.count)
        let command = "svgrt train --plant \(c.plant) --algo \(c.algorithm.rawValue) --seed \(c.seed) --steps \(steps)"
            + " --actuator-gain \(conditions.actuatorGain) --actuator-noise \(conditions.actuatorNoise)"
            + (conditions.weakActuator >= 0 ? " --weak-actuator \(conditions.weakActuator) --weak-actuator-gain \(conditions.weakActuatorGain)" : "")
        log(String(format: "svgrt run: from-scratch level under %@: %.1f (%.0f s; %@)", conditions.label, level,
                   Date().timeIntervalSince(start), command))
        let yardstick = AdaptationYardstick(conditions: conditions, steps: steps, seed: c.seed, algorithm: c.algorithm.rawValue,
                                            level: level, command: command)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try RunFolder.write(String(decoding: try encoder.encode(yardstick), as: UTF8.self) + "\n", to: path)
        return yardstick
    }
}
