/// Where the deterministic policy is evaluated from.
public enum EvaluationStarts {
    /// The 10 start states (θ, θ̇) of gymnasium's Pendulum-v1 reset with seeds 10000…10009
    /// (shared/reference/pendulum-eval-starts.csv): the states the peer baselines (SB3 SAC and
    /// TD3) were evaluated from, so returns compare.
    public static let pendulum: [[Double]] = [
        [0.10486889069367766, -0.1526016949671385],
        [1.3496685618959168, 0.2589404662431949],
        [0.8493980570323441, -0.4999700630882409],
        [1.1822558696189605, 0.4762485490273567],
        [2.1325297356164903, -0.3959668929659874],
        [-1.8140893034962666, -0.3433234680280224],
        [-2.264583582503015, 0.43258431824447574],
        [2.0313711561475216, -0.8960048450995441],
        [0.4799918678992796, -0.09630509412390209],
        [0.1403646502014828, 0.12236874520167551],
    ]

    /// Episodes per evaluation during training unless `TrainingConfiguration.evaluationEpisodes`
    /// says otherwise.
    public static let defaultEpisodes = 10

    /// `count` consecutive reset seeds from `first`: the evaluations during training use 10000,
    /// 10001, … for the plants other than the pendulum.
    public static func seeds(count: Int, from first: UInt64 = 10_000) -> [UInt64] { (0..<UInt64(count)).map { first + $0 } }
}
