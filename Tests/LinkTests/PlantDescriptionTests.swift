import Link
import XCTest

/// A HELLO that decodes can still describe no plant a controller could drive; `refusal` says
/// which field, and a good description has none.
final class PlantDescriptionTests: XCTestCase {
    static let good = PlantDescription(name: "arm", observationSize: 4, actionSize: 2, physicalStateSize: 4, stepMicroseconds: 10_000,
                                       tickMicroseconds: 10_000, episodeLength: 200, mode: .realTime,
                                       actionLow: [-1, -2], actionHigh: [1, 2])

    func testAGoodDescriptionIsAccepted() {
        XCTAssertNil(Self.good.refusal)
        var largest = Self.good
        largest.observationSize = PlantDescription.maximumObservationSize
        XCTAssertNil(largest.refusal)
        XCTAssertEqual(PlantDescription.maximumObservationSize, 253)
    }

    func testEachBadFieldIsNamed() {
        let cases: [(String, (inout PlantDescription) -> Void)] = [
            ("its name \"\" is empty", { $0.name = "" }),
            ("its name \"a\\nb\" is empty or holds control characters", { $0.name = "a\nb" }),
            ("it has 0 observations; a SENSE carries 1 to 253", { $0.observationSize = 0 }),
            ("it has 254 observations; a SENSE carries 1 to 253", { $0.observationSize = 254 }),
            ("it has no actuators (A = 0)", { $0.actionSize = 0; $0.actionLow = []; $0.actionHigh = [] }),
            ("actuator 1's limits [2.0, -2.0] hold no action", { $0.actionLow[1] = 2; $0.actionHigh[1] = -2 }),
            ("actuator 0's limits [1.0, 1.0] hold no action", { $0.actionLow[0] = 1 }),
            ("its step is 0 µs", { $0.stepMicroseconds = 0 }),
            ("its episodes are 0 steps long", { $0.episodeLength = 0 }),
        ]
        for (message, spoil) in cases {
            var d = Self.good
            spoil(&d)
            XCTAssertTrue(d.refusal?.contains(message) == true, "\(message): \(d.refusal ?? "accepted")")
        }
    }
}
