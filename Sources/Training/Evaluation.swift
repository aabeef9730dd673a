import Learn
import Net
import Plants

/// Evaluation of a deterministic policy: mean return over the plant's evaluation starts (the
/// pendulum's 10 reference states; 10 seeded resets for the others), terminal reward included.
public enum Evaluation {
    public static func meanReturn(policy: GaussianPolicy, plant: any Plant) -> Double {
        var total = 0.0
        let starts = plant.name == "pendulum" ? EvaluationStarts.pendulum.count : EvaluationStarts.seeds.count
        var unused = Xoshiro256StarStar(seed: 0)
        let s = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.observationSize)
        let f = UnsafeMutableBufferPointer<Float>.allocate(capacity: plant.observationSize)
        let a = UnsafeMutableBufferPointer<Float>.allocate(capacity: plant.actionSize)
        let ad = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.actionSize)
        defer { s.deallocate(); f.deallocate(); a.deallocate(); ad.deallocate() }
        for k in 0..<starts {
            if plant.name == "pendulum" {
                EvaluationStarts.pendulum[k].withUnsafeBufferPointer { plant.reset(to: $0) }
            } else {
                var g = Xoshiro256StarStar(seed: EvaluationStarts.seeds[k])
                plant.reset(using: &g)
            }
            while !plant.isEpisodeOver {
                plant.observe(into: s)
                for i in 0..<s.count { f[i] = Float(s[i]) }
                policy.act(UnsafeBufferPointer(f), into: a, deterministic: true, generator: &unused)
                for i in 0..<a.count { ad[i] = Double(a[i]) }
                total += plant.step(action: UnsafeBufferPointer(ad))
            }
            plant.observe(into: s)
            total += plant.terminalReward(observation: UnsafeBufferPointer(s))
        }
        return total / Double(starts)
    }
}
