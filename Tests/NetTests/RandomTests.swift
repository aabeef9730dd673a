import Foundation
import XCTest
import Net

final class RandomTests: XCTestCase {
    /// Raw outputs and Gaussian bits equal an independent Python implementation (Fixtures/
    /// xoshiro_reference.py) for three seeds: the sequence is defined by arithmetic, not by the
    /// machine, so it is the same on x86_64 and aarch64.
    func testSequenceMatchesPythonReferenceBitForBit() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/xoshiro_reference.csv")
        let rows = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        XCTAssertEqual(rows.count, 3 * (16 + 64))
        var generators: [UInt64: Xoshiro256StarStar] = [:]
        var gaussianGenerators: [UInt64: Xoshiro256StarStar] = [:]
        for row in rows {
            let f = row.split(separator: ",")
            let seed = UInt64(f[0])!, kind = f[2], value = UInt64(f[3])!
            if kind == "u64" {
                var g = generators[seed] ?? Xoshiro256StarStar(seed: seed)
                XCTAssertEqual(g.next(), value, "seed \(seed) draw \(f[1])")
                generators[seed] = g
            } else {
                var g = gaussianGenerators[seed] ?? Xoshiro256StarStar(seed: seed)
                XCTAssertEqual(g.nextGaussian().bitPattern, value, "seed \(seed) gaussian \(f[1])")
                gaussianGenerators[seed] = g
            }
        }
    }

    func testGaussianMomentsAndSeedReproducibility() {
        var a = Xoshiro256StarStar(seed: 5), b = Xoshiro256StarStar(seed: 5)
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0, sumFourth = 0.0
        for _ in 0..<n {
            let x = a.nextGaussian()
            XCTAssertEqual(x.bitPattern, b.nextGaussian().bitPattern)
            sum += x; sumSquares += x * x; sumFourth += x * x * x * x
        }
        XCTAssertEqual(sum / Double(n), 0, accuracy: 0.01)
        XCTAssertEqual(sumSquares / Double(n), 1, accuracy: 0.01)
        XCTAssertEqual(sumFourth / Double(n), 3, accuracy: 0.06)
        var c = Xoshiro256StarStar(seed: 6), d = Xoshiro256StarStar(seed: 5)
        XCTAssertNotEqual(c.next(), d.next())
    }

    /// The portable logarithm is within 2 ulp of libm's on (0, 1].
    func testPortableLogMatchesLibm() {
        var rng = Xoshiro256StarStar(seed: 8)
        var worstUlps = 0.0
        for i in 0..<100_000 {
            let x = i == 0 ? 1.0 : max(rng.nextUniform(), 1e-300)
            let expected = Foundation.log(x)
            let got = PortableLog.naturalLog(x)
            let ulp = expected == 0 ? Double.leastNormalMagnitude : expected.ulp
            worstUlps = max(worstUlps, abs(got - expected) / ulp)
        }
        XCTAssertLessThanOrEqual(worstUlps, 2)
    }

    func testUniformRange() {
        var rng = Xoshiro256StarStar(seed: 1)
        for _ in 0..<10_000 {
            let u = rng.nextUniform()
            XCTAssertTrue(u >= 0 && u < 1)
            let f = rng.nextUniform(-3, 5)
            XCTAssertTrue(f >= -3 && f <= 5)
        }
    }
}
