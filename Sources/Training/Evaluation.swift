import Learn
import Net
import Plants

/// Evaluation of a deterministic policy (the mean action, no exploration), terminal reward
/// included in each episode's return.
public enum Evaluation {
    /// Where evaluation episodes start.
    public enum Starts {
        /// The plant's `referenceStarts`, set with `reset(to:)`.
        case reference
        /// One episode per seed, each from `reset(using:)` with a generator of that seed.
        case seeds([UInt64])

        /// The starts of the evaluations during training: the plant's reference starts whatever
        /// `episodes` says (the pendulum's: the peers'), else `episodes` seeded resets (seeds 10000 on).
        public static func training(for plant: any Plant, episodes: Int) -> Starts {
            plant.referenceStarts != nil ? .reference : .seeds(EvaluationStarts.seeds(count: episodes))
        }
    }

    /// Mean return over the evaluation starts of training (`Starts.training`), under `conditions`.
    public static func meanReturn(policy: GaussianPolicy, plant: any Plant, episodes: Int = EvaluationStarts.defaultEpisodes,
                                  conditions: PlantConditions = PlantConditions()) -> Double {
        let r = returns(policy: policy, plant: plant, starts: .training(for: plant, episodes: episodes), conditions: conditions)
        return r.reduce(0, +) / Double(r.count)
    }

    /// One evaluation episode: its return and the observation it ended in.
    public struct Episode: Sendable {
        public let totalReturn: Double
        public let finalObservation: [Double]
    }

    /// The return of each episode, in the order of `starts`.
    public static func returns(policy: GaussianPolicy, plant: any Plant, starts: Starts,
                               conditions: PlantConditions = PlantConditions()) -> [Double] {
        episodes(policy: policy, plant: plant, starts: starts, conditions: conditions).map(\.totalReturn)
    }

    /// Each episode's return and final observation, in the order of `starts`. Under non-nominal
    /// `conditions` episode k's disturbances are seeded with `disturbanceSeed + k`, so two
    /// policies evaluated alike meet the same noise.
    public static func episodes(policy: GaussianPolicy, plant: any Plant, starts: Starts,
                                conditions: PlantConditions = PlantConditions(), disturbanceSeed: UInt64 = 0xE7A1) -> [Episode] {
        var unused = Xoshiro256StarStar(seed: 0)
        let f = UnsafeMutableBufferPointer<Float>.allocate(capacity: plant.observationSize)
        let a = UnsafeMutableBufferPointer<Float>.allocate(capacity: plant.actionSize)
        defer { f.deallocate(); a.deallocate() }
        return episodes(plant: plant, starts: starts, conditions: conditions, disturbanceSeed: disturbanceSeed) { s, action in
            for i in 0..<s.count { f[i] = Float(s[i]) }
            policy.act(UnsafeBufferPointer(f), into: a, deterministic: true, generator: &unused)
            for i in 0..<a.count { action[i] = Double(a[i]) }
        }
    }

    /// The same episodes with any controller: `act(observation, action)` writes the action.
    public static func episodes(plant: any Plant, starts: Starts, conditions: PlantConditions = PlantConditions(),
                                disturbanceSeed: UInt64 = 0xE7A1,
                                act: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void) -> [Episode] {
        let s = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.observationSize)
        let ad = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.actionSize)
        defer { s.deallocate(); ad.deallocate() }
        var index: UInt64 = 0
        func episode() -> Episode {
            var total = 0.0
            var disturbances = conditions.isNominal ? nil : conditions.disturbances(seed: disturbanceSeed &+ index)
            index += 1
            while !plant.isEpisodeOver {
                plant.observe(into: s)
                disturbances?.sense(s)
                act(UnsafeBufferPointer(s), ad)
                disturbances?.actuate(ad, plant: plant)
                total += plant.step(action: UnsafeBufferPointer(ad))
            }
            plant.observe(into: s)
            return Episode(totalReturn: total + plant.terminalReward(observation: UnsafeBufferPointer(s)), finalObservation: Array(s))
        }
        switch starts {
        case .reference:
            return (plant.referenceStarts ?? []).map { start in
                start.withUnsafeBufferPointer { plant.reset(to: $0) }
                return episode()
            }
        case .seeds(let seeds):
            return seeds.map { seed in
                var g = Xoshiro256StarStar(seed: seed)
                plant.reset(using: &g)
                return episode()
            }
        }
    }

    /// What every plant can be compared with, on the evaluation starts of training: the plant's
    /// own yardsticks (known controllers), then the zero action (clamped into the actuator
    /// limits) and uniformly random actions (seed 0), each a mean return over the same starts.
    public static func yardsticks(plant: any Plant, episodes count: Int = EvaluationStarts.defaultEpisodes,
                                  conditions: PlantConditions = PlantConditions()) -> [(name: String, return: Double)] {
        let starts = Starts.training(for: plant, episodes: count)
        func mean(_ act: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void) -> Double {
            let r = episodes(plant: plant, starts: starts, conditions: conditions, act: act).map(\.totalReturn)
            return (r.reduce(0, +) / Double(max(r.count, 1)) * 10).rounded() / 10
        }
        let low = plant.actionLow, high = plant.actionHigh
        let zero = mean { _, a in for i in 0..<a.count { a[i] = min(max(0, low[i]), high[i]) } }
        var g = Xoshiro256StarStar(seed: 0)
        let random = mean { _, a in for i in 0..<a.count { a[i] = low[i] + (high[i] - low[i]) * g.nextUniform() } }
        return plant.yardsticks + [("zero action", zero), ("uniformly random actions", random)]
    }
}
