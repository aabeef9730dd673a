import Foundation

/// One of the gymnasium MuJoCo fixtures (Tests/PlantsTests/Fixtures/gymnasium-mujoco, written by
/// scripts/gymnasium-reference.py): a header naming the versions and sizes, then one row per
/// reset (the state gymnasium drew and its observation) and per step (action, then qpos, qvel,
/// observation, reward, terminated, truncated after the step).
public struct GymnasiumFixture {
    public struct Row {
        public var reset: Bool
        public var action: [Double], qpos: [Double], qvel: [Double], observation: [Double]
        public var reward: Double, terminated: Bool, truncated: Bool
    }

    /// "gymnasium", "mujoco", "nq", "nv", "nu", "observation" → value.
    public var header: [String: String]
    public var rows: [Row]

    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PlantsTests/Fixtures/gymnasium-mujoco")

    /// The fixture of gymnasium task `id` ("Hopper-v5").
    public init(_ id: String) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("\(id).csv"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline)
        // "# Hopper-v5 gymnasium 1.4.0 mujoco 4.0.0 nq 6 nv 6 nu 3 observation 11"
        let words = lines[0].split(separator: " ").dropFirst(2).map(String.init)
        var header: [String: String] = [:]
        for k in stride(from: 0, to: words.count - 1, by: 2) { header[words[k]] = words[k + 1] }
        let nq = Int(header["nq"]!)!, nv = Int(header["nv"]!)!, nu = Int(header["nu"]!)!, no = Int(header["observation"]!)!
        self.header = header
        rows = lines.dropFirst().map { line -> Row in
            let f = line.split(separator: ",")
            let x = f.dropFirst().map { Double($0)! }
            var k = 0
            func take(_ n: Int) -> [Double] { defer { k += n }; return Array(x[k..<k + n]) }
            let action = take(nu), qpos = take(nq), qvel = take(nv), observation = take(no)
            let reward = take(1)[0], terminated = take(1)[0] != 0, truncated = take(1)[0] != 0
            return Row(reset: f[0] == "reset", action: action, qpos: qpos, qvel: qvel, observation: observation,
                       reward: reward, terminated: terminated, truncated: truncated)
        }
    }
}
