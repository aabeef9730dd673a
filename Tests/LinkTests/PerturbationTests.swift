import FirmwareLauncher
import Foundation
import XCTest
import TestSupport
import Link
import Plants

/// Plant perturbations of firmware-sim, set while running (CONFIGURE) or by its schedule,
/// checked against the in-process pendulum in lockstep.
final class PerturbationTests: XCTestCase {
    func connect(_ extra: [String] = []) throws -> (FirmwareProcess, PlantClient) {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0", "--status-interval", "0"] + extra)
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        try client.handshake()
        try client.reset(.explicit([1.0, 0.0]))
        return (firmware, client)
    }

    func observation(_ plant: Pendulum) -> [Float] {
        var s = [0.0, 0.0, 0.0]
        s.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
        return s.map(Float.init)
    }

    func testConfigureGainDelayAndStuckObservation() throws {
        let (firmware, client) = try connect()
        let plant = Pendulum()
        [1.0, 0.0].withUnsafeBufferPointer { plant.reset(to: $0) }
        // Gain 0.6: a command of 3 saturates to 2, then the weak motor delivers 1.2.
        client.configure(.actuatorGain, 0.6)
        var history: [[Float]] = [observation(plant)]
        for _ in 0..<5 {
            try [3].withUnsafeBufferPointer { try client.act($0) }
            _ = [1.2].withUnsafeBufferPointer { plant.step(action: $0) }
            history.append(observation(plant))
            XCTAssertEqual(Array(client.observation), history.last!)
        }
        // Observation delay of 2 ticks: the SENSE now shows the state of two steps ago.
        client.configure(.observationDelayTicks, 2)
        for _ in 0..<3 {
            try [0].withUnsafeBufferPointer { try client.act($0) }
            _ = [0.0].withUnsafeBufferPointer { plant.step(action: $0) }
            history.append(observation(plant))
            XCTAssertEqual(Array(client.observation), history[history.count - 3])
        }
        // A stuck sensor repeats what it last sent and says so.
        client.configure(.observationDelayTicks, 0)
        client.configure(.stuckObservation, 1)
        let frozen = Array(client.observation)
        for _ in 0..<3 {
            try [0].withUnsafeBufferPointer { try client.act($0) }
            XCTAssertEqual(Array(client.observation), frozen)
            XCTAssertTrue(client.flags.contains(.staleObservation))
        }
        XCTAssertEqual(firmware.stop()["steps"], 11)
    }

    func testScheduleChangesGainAtPlantTime() throws {
        // Lockstep schedules run on plant time: 0.5 s is step 10 of the pendulum.
        // −0 is 0: the log and status never say "gain -0.0".
        let (firmware, client) = try connect(["--schedule", "0.5:gain=-0"])
        let plant = Pendulum()
        [1.0, 0.0].withUnsafeBufferPointer { plant.reset(to: $0) }
        for t in 0..<20 {
            try [1].withUnsafeBufferPointer { try client.act($0) }
            _ = [t < 10 ? 1.0 : 0.0].withUnsafeBufferPointer { plant.step(action: $0) }
            XCTAssertEqual(Array(client.observation), observation(plant), "step \(t)")
        }
        firmware.stop()
        XCTAssertTrue(firmware.log.contains("schedule: gain = 0.0 at 0.5 s"), firmware.log)
    }

    func testDuplicatedAndDelayedFramesNeverCorruptTheData() throws {
        let (firmware, client) = try connect(["--duplicate", "0.2", "--delay", "0.1", "--delay-ms", "5", "--seed", "9"])
        let plant = Pendulum()
        [1.0, 0.0].withUnsafeBufferPointer { plant.reset(to: $0) }
        for t in 0..<300 {
            let a = Float(sin(Double(t) / 10))
            try [a].withUnsafeBufferPointer { try client.act($0) }
            _ = [Double(a)].withUnsafeBufferPointer { plant.step(action: $0) }
            if plant.isEpisodeOver { break }
            XCTAssertEqual(Array(client.observation), observation(plant), "step \(t)")
        }
        let summary = firmware.stop()
        XCTAssertGreaterThan(summary["duplicated"] ?? 0, 10)
        XCTAssertGreaterThan(summary["delayed"] ?? 0, 5)
        XCTAssertGreaterThan(client.counters.count(of: .duplicateSequence) + client.counters.count(of: .outOfOrderSequence), 0)
    }

    func testStatusLineAndSummaryOnSIGINT() throws {
        let firmware = try FirmwareProcess(["--plant", "cartpole", "--mode", "realtime", "--port", "0", "--status-interval", "0.05"])
        usleep(300_000)
        firmware.process.interrupt()
        firmware.process.waitUntilExit()
        let summary = firmware.stop()
        XCTAssertEqual(summary["steps"], 0, "no controller, no steps")
        XCTAssertTrue(firmware.log.contains("firmware-sim summary: plant=cartpole"))
        XCTAssertTrue(firmware.log.contains("firmware-sim[cartpole]"), "no status line: \(firmware.log)")
    }
}
