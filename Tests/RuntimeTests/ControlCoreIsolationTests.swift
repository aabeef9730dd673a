import Foundation
import XCTest

/// `svgrt run` on a machine with more than one CPU keeps the control core for the control thread:
/// every other thread of svgrt and every thread of the firmware-sim child it starts is pinned to
/// the learner's core, read back from the kernel while the run goes.
final class ControlCoreIsolationTests: XCTestCase {
    /// The CPUs thread `tid` of process `pid` may run on (its Cpus_allowed_list, e.g. "0" or "0-1").
    func affinity(_ pid: Int32, _ tid: Int32) -> Set<Int> {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return [] }
        var cpus = Set<Int>()
        for part in line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let ends = part.split(separator: "-").compactMap { Int($0) }
            if let first = ends.first { cpus.formUnion(first...(ends.last ?? first)) }
        }
        return cpus
    }

    func threads(of pid: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).compactMap(Int32.init)
    }

    /// The processes whose parent is `pid`.
    func children(of pid: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }
    }

    func testOnlyTheControlThreadRunsOnTheControlCore() throws {
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("svgrt-isolation-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = svgrtProcess(["run", "--plant", "pendulum", "--duration", "4", "--output", folder])
        let output = Pipe()
        process.standardError = output
        process.standardOutput = output
        try process.run()
        usleep(2_500_000)
        let pid = process.processIdentifier
        let own = threads(of: pid).map { affinity(pid, $0) }
        let firmware = children(of: pid).flatMap { child in threads(of: child).map { affinity(child, $0) } }
        process.waitUntilExit()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, log)
        guard cpus > 1 else {
            // One CPU: nothing to isolate, and the run says nothing about it.
            XCTAssertFalse(log.contains("control thread alone"), log)
            return
        }
        let control = Set([cpus - 1]), other = Set([0])
        XCTAssertTrue(log.contains("control thread alone on CPU \(cpus - 1)"), log)
        XCTAssertEqual(own.filter { $0 == control }.count, 1, "svgrt's threads: \(own)")
        XCTAssertEqual(own.filter { $0 == other }.count, own.count - 1, "svgrt's threads: \(own)")
        XCTAssertFalse(firmware.isEmpty, "no firmware-sim child found")
        XCTAssertTrue(firmware.allSatisfy { $0 == other }, "firmware-sim's threads: \(firmware)")
    }
}
