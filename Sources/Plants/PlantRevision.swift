/// The revision of a plant's definition: what a policy learned on it depends on (its
/// observation, reward, dynamics, limits). A run records the revision it trained on
/// (`config.json`'s `plantRevision`), and a run of another revision is refused on resume and
/// evaluation rather than run silently on a plant it does not fit.
///
/// Every plant starts at 1: its definition when revisions began to be recorded (runs written
/// before then record none, and are read as revision 1). A change to what a plant is raises its
/// number and says what changed.
public struct PlantRevision: Sendable, Equatable {
    /// 1, 2, …
    public let number: Int
    /// What changed from the revision before (empty at 1).
    public let change: String

    public init(_ number: Int, change: String = "") {
        self.number = number
        self.change = change
    }
}

extension PlantRegistry {
    /// The current revision of the plant called `name` (1 for a name it does not know: a plant on
    /// the wire is what its HELLO says it is).
    public static func revision(of name: String) -> PlantRevision {
        switch name {
        case "swimmer3", "swimmer5", "swimmer7": return Swimmer.revision
        default: return PlantRevision(1)
        }
    }
}
