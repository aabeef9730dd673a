import Plants

/// Where the deterministic policy is evaluated from.
public enum EvaluationStarts {
    /// The pendulum's reference starts (`Pendulum.referenceStarts`).
    public static var pendulum: [[Double]] { Pendulum.referenceStarts }

    /// Episodes per evaluation during training unless `TrainingConfiguration.evaluationEpisodes`
    /// says otherwise.
    public static let defaultEpisodes = 10

    /// `count` consecutive reset seeds from `first`: the evaluations during training use 10000,
    /// 10001, … for plants without reference starts.
    public static func seeds(count: Int, from first: UInt64 = 10_000) -> [UInt64] { (0..<UInt64(count)).map { first + $0 } }
}
