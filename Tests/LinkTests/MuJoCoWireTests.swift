import FirmwareLauncher
import Foundation
import XCTest
import TestSupport
import Link
import Plants

/// firmware-sim serving gymnasium's MuJoCo tasks over the wire, driven from gymnasium's own
/// fixtures: every observation and reward arrives as gymnasium's (in float32, the wire's type),
/// and SENSE flags a termination (`terminated` + `episodeEnd`) apart from a truncation
/// (`episodeEnd` alone) on the same steps as gymnasium's `terminated` and `truncated`.
final class MuJoCoWireTests: XCTestCase {
    func replay(_ id: String) throws {
        let fixture = try GymnasiumFixture(id)
        let firmware = try FirmwareProcess(["--plant", id, "--mode", "lockstep", "--port", "0"])
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        let nq = Int(fixture.header["nq"]!)!, nv = Int(fixture.header["nv"]!)!
        let observationSize = Int(fixture.header["observation"]!)!, actionSize = Int(fixture.header["nu"]!)!
        let client = PlantClient(transport: transport, observationSize: observationSize, actionSize: actionSize)
        let description = try client.handshake()
        XCTAssertEqual(description.physicalStateSize, nq + nv, "\(id): the physical state is qpos then qvel")
        var observationMismatches = 0, rewardMismatches = 0, terminations = 0, truncations = 0, steps = 0
        for (t, row) in fixture.rows.enumerated() {
            if row.reset {
                try client.reset(.explicit(row.qpos + row.qvel))
            } else {
                try row.action.map(Float.init).withUnsafeBufferPointer { try client.act($0) }
                steps += 1
                if client.reward.bitPattern != Float(row.reward).bitPattern { rewardMismatches += 1 }
                let flags = client.flags
                XCTAssertEqual(flags.contains(.terminated), row.terminated, "\(id) row \(t): terminated")
                XCTAssertEqual(flags.contains(.episodeEnd), row.terminated || row.truncated, "\(id) row \(t): episode end")
                terminations += flags.contains(.terminated) ? 1 : 0
                truncations += flags.contains(.episodeEnd) && !flags.contains(.terminated) ? 1 : 0
            }
            for i in 0..<observationSize where client.observation[i].bitPattern != Float(row.observation[i]).bitPattern {
                observationMismatches += 1
            }
        }
        XCTAssertEqual(steps, 1000, id)
        XCTAssertEqual(observationMismatches, 0, "\(id): observations that differ from gymnasium's")
        XCTAssertEqual(rewardMismatches, 0, "\(id): rewards that differ from gymnasium's")
        XCTAssertEqual(terminations, fixture.rows.filter(\.terminated).count, id)
        XCTAssertEqual(truncations, fixture.rows.filter(\.truncated).count, id)
        XCTAssertEqual(client.counters.totalRejected, 0, id)
        let summary = firmware.stop()
        XCTAssertEqual(summary["steps"], 1000, id)
    }

    /// Falls: 47 terminations in 1,000 steps.
    func testHopperOverTheWireIsGymnasiums() throws { try replay("Hopper-v5") }

    /// 50-step time limits: 20 truncations, no termination.
    func testReacherOverTheWireIsGymnasiums() throws { try replay("Reacher-v5") }
}

/// Disturbances on a MuJoCo plant, changed live over CONFIGURE as on the others: with the
/// actuator gain at 0 firmware-sim's Hopper moves exactly as an in-process Hopper given zero
/// actions; with gain 1 and 5 % actuator noise it departs from the noiseless one.
final class MuJoCoDisturbanceTests: XCTestCase {
    func testGainAndNoiseChangeLiveOnHopper() throws {
        let firmware = try FirmwareProcess(["--plant", "Hopper-v5", "--mode", "lockstep", "--port", "0"])
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 11, actionSize: 3)
        try client.handshake()
        let plant = try MuJoCoPlant("Hopper-v5")
        var start = [Double](repeating: 0, count: 12)
        start[1] = 1.25
        func run(gain: Double, noise: Double, steps: Int) throws -> Int {
            client.configure(.actuatorGain, gain)
            client.configure(.actuatorNoise, noise)
            try client.reset(.explicit(start))
            start.withUnsafeBufferPointer { plant.reset(to: $0) }
            var mismatches = 0
            var expected = [Double](repeating: 0, count: 11)
            for t in 0..<steps {
                let a: [Float] = [0.8, -0.5, Float(t % 2 == 0 ? 0.3 : -0.3)]
                try a.withUnsafeBufferPointer { try client.act($0) }
                _ = [0, 0, 0].withUnsafeBufferPointer { plant.step(action: $0) }
                expected.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
                for i in 0..<11 where client.observation[i].bitPattern != Float(expected[i]).bitPattern { mismatches += 1 }
                if plant.isEpisodeOver || client.flags.contains(.episodeEnd) { break }
            }
            return mismatches
        }
        XCTAssertEqual(try run(gain: 0, noise: 0, steps: 20), 0, "gain 0: the commanded actions never reached the motors")
        XCTAssertGreaterThan(try run(gain: 1, noise: 0.05, steps: 20), 50, "gain 1 with noise: the plant moved otherwise")
        XCTAssertEqual(firmware.stop()["rejected"] ?? 0, 0)
    }
}
