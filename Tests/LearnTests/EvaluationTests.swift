import Foundation
import XCTest
import Learn
import Plants
import Training

final class EvaluationTests: XCTestCase {
    /// The evaluation during training is the mean of the per-episode returns over the pendulum's
    /// 10 reference starts; seeded starts are repeatable and differ between seeds.
    func testEpisodeReturnsAndTheirMean() throws {
        var c = TrainingConfiguration.defaults(for: "pendulum")
        c.steps = 400
        let t = try Trainer(c)
        for _ in 0..<400 { t.step() }
        let reference = Evaluation.returns(policy: t.policy, plant: t.plant, starts: .reference)
        XCTAssertEqual(reference.count, 10)
        XCTAssertEqual(t.evaluate(), reference.reduce(0, +) / 10, accuracy: 1e-9)
        XCTAssertGreaterThan(Set(reference).count, 5, "different starts give different returns")
        let a = Evaluation.returns(policy: t.policy, plant: t.plant, starts: .seeds([1, 2, 3]))
        let b = Evaluation.returns(policy: t.policy, plant: t.plant, starts: .seeds([1, 2, 3]))
        let other = Evaluation.returns(policy: t.policy, plant: t.plant, starts: .seeds([4, 5, 6]))
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern))
        XCTAssertNotEqual(a, other)
        XCTAssertTrue(a.allSatisfy { $0 < 0 && $0 > -2_000 }, "\(a)")
    }

    /// The generic yardsticks: the zero action's return equals the pendulum's own reward summed
    /// along each reference start with u = 0 (written out here); random actions differ from it
    /// and repeat; the Hand keeps its own controllers first.
    func testYardsticksAreTheZeroAndRandomPolicies() throws {
        let plant = Pendulum()
        var total = 0.0
        for start in Pendulum.referenceStarts {
            var theta = start[0], velocity = start[1]
            for _ in 0..<200 {
                let angle = atan2(sin(theta), cos(theta))
                total -= angle * angle + 0.1 * velocity * velocity
                velocity = min(max(velocity + (3 * 10 / 2 * sin(theta)) * 0.05, -8), 8)
                theta += velocity * 0.05
            }
        }
        let expected = (total / 10 * 10).rounded() / 10
        let y = Evaluation.yardsticks(plant: plant)
        XCTAssertEqual(y.map(\.name), ["zero action", "uniformly random actions"])
        XCTAssertEqual(y[0].return, expected, accuracy: 0.11)
        XCTAssertNotEqual(y[1].return, y[0].return)
        XCTAssertEqual(Evaluation.yardsticks(plant: plant)[1].return, y[1].return, "random actions are seeded")
        let hand = try PlantRegistry.plant(named: "hand")
        XCTAssertEqual(Evaluation.yardsticks(plant: hand, episodes: 2).map(\.name), hand.yardsticks.map(\.name) + ["zero action", "uniformly random actions"])
    }

    /// `evaluationEpisodes` sets how many seeded episodes (seeds 10000, 10001, …) an evaluation
    /// of the other plants averages.
    func testEvaluationEpisodesAreTheSeededResets() throws {
        var c = TrainingConfiguration.defaults(for: "hand")
        c.evaluationEpisodes = 3
        let t = try Trainer(c)
        let returns = Evaluation.returns(policy: t.policy, plant: t.plant, starts: .seeds([10_000, 10_001, 10_002]))
        XCTAssertEqual(t.evaluate(), returns.reduce(0, +) / 3, accuracy: 1e-12)
        let ten = Evaluation.returns(policy: t.policy, plant: t.plant, starts: .seeds(Array(10_000..<10_010)))
        XCTAssertEqual(try Trainer(TrainingConfiguration.defaults(for: "swimmer3")).configuration.evaluationEpisodes, 10, "the default is 10")
        c.evaluationEpisodes = 10
        XCTAssertEqual(try Trainer(c).evaluate(), ten.reduce(0, +) / 10, accuracy: 1e-12)
    }

    /// Against numpy: mean, std(ddof=1), quantile (linear), and histogram counts.
    func testReturnSummaryStatistics() {
        let s = ReturnSummary([3, 1, 4, 2])
        XCTAssertEqual(s.mean, 2.5)
        XCTAssertEqual(s.standardDeviation, (5.0 / 3).squareRoot(), accuracy: 1e-12)  // np.std(x, ddof=1)
        XCTAssertEqual(s.quantile(0.5), 2.5, accuracy: 1e-12)
        XCTAssertEqual(s.quantile(0.1), 1.3, accuracy: 1e-12)                         // np.quantile(x, 0.1)
        XCTAssertEqual(s.quantile(0.9), 3.7, accuracy: 1e-12)
        XCTAssertEqual(s.minimum, 1)
        XCTAssertEqual(s.maximum, 4)
        XCTAssertEqual(s.count(atLeast: 3), 2)
        let (edges, counts) = s.histogram(bins: 3)
        XCTAssertEqual(edges, [1, 2, 3, 4])
        XCTAssertEqual(counts, [1, 1, 2], "the last bin is closed")
        let single = ReturnSummary([-7])
        XCTAssertEqual(single.standardDeviation, 0)
        XCTAssertEqual(single.quantile(0.9), -7)
        XCTAssertEqual(single.histogram(bins: 4).counts.reduce(0, +), 1)
    }
}
