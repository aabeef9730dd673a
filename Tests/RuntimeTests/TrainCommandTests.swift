import Foundation
import Plants
import XCTest

/// `svgrt train` and `svgrt run` as a user drives them: the shared options, refusals that name
/// the option and write nothing, partial configuration files, and the train report.
final class TrainCommandTests: XCTestCase {
    var folder: String { FileManager.default.temporaryDirectory.appendingPathComponent("svgrt-train-\(getpid())").path }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    /// `svgrt trace-report` on no folder, a folder with no trace, or a trace babeltrace2 cannot
    /// read (a garbage metadata file) says so in one line.
    func testTraceReportRefusesWhatIsNoTraceInOneLine() throws {
        let empty = folder + "-no-trace"
        try FileManager.default.createDirectory(atPath: empty + "/ust", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let garbage = folder + "-garbage-trace"
        try FileManager.default.createDirectory(atPath: garbage + "/ust", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        try Data("not CTF".utf8).write(to: URL(fileURLWithPath: garbage + "/ust/metadata"))
        for (path, message) in [(empty + "/missing", "\(empty)/missing is not a folder"),
                                (empty, "\(empty) holds no LTTng trace (no CTF metadata file in it)"),
                                (garbage, "could not read the trace in \(garbage) (exit ")] {
            let r = try svgrt(["trace-report", path])
            XCTAssertNotEqual(r.status, 0, r.output)
            XCTAssertTrue(r.output.contains(message), r.output)
            XCTAssertEqual(r.output.split(separator: "\n").count, 1, "not one line: \(r.output)")
        }
    }

    /// An option of another algorithm, or out of range, is refused in one line naming the
    /// option, before anything is written.
    func testRefusedOptionsNameThemselvesAndWriteNothing() throws {
        var cases: [([String], String)] = [
            (["train", "--algo", "svg0", "--model-hidden", "5"], "svg0 does not use --model-hidden (it is a hyperparameter of"),
            (["train", "--algo", "svg-inf", "--updates-per-step", "2"], "svg-inf does not use --updates-per-step"),
            (["train", "--gamma", "2"], "--gamma must be in [0, 1]"),
            (["train", "--batch-size", "0"], "--batch-size must be"),
            (["train", "--policy-learning-rate=-1"], "--policy-learning-rate must be"),
            (["train", "--algo", "ppo"], "unknown algorithm 'ppo'"),
            (["train", "--plant", "segway"], "unknown --plant 'segway'"),
            (["run", "--algo", "svg-inf", "--duration", "1"], "learns after whole episodes"),
            (["train", "--steps=-5"], "--steps must be a non-negative integer"),
            // A negative value after a space is the option's value, refused by its range check,
            // not read as an unknown option with the value missing.
            (["train", "--steps", "-5"], "--steps must be a non-negative integer (got -5)"),
            (["train", "--policy-learning-rate", "-1"], "--policy-learning-rate must be"),
            (["train", "--checkpoint-every", "-1", "--steps", "10"], "--checkpoint-every must be a non-negative number of seconds (got -1.0)"),
            (["run", "--duration", "-5"], "--duration must be a positive number of seconds (got -5.0)"),
            (["train", "--steps", "--seed", "3"], "The value '--seed' is invalid for '--steps <steps>'"),
            (["train", "--steps", "10", "--output", "/dev/null/run"], "cannot create the run folder /dev/null/run: Not a directory"),
            (["train", "--algo", "svg-inf", "--value-learning-rate", "0.01"], "svg-inf does not use --value-learning-rate"),
            (["train", "--replay-capacity", "100", "--batch-size", "128"], "--replay-capacity (100) must be at least --batch-size (128)"),
            (["train", "--replay-capacity", "10"], "--replay-capacity (10) must be at least the batch size ("),
            (["train", "--replay-capacity", "0"], "--replay-capacity must be an integer from 1"),
            (["train", "--batch-size", "100000"], "--batch-size must be an integer from 1 to 4,096"),
            (["train", "--algo", "sac-svg", "--model-batch-size", "5000"], "--model-batch-size must be an integer from 1 to 4,096"),
            (["train", "--gamma", "nan"], "--gamma must be a finite number (got nan)"),
            (["train", "--config", "/no/such/config.json"], "/no/such/config.json: no such file"),
            (["train", "--config", "/tmp"], "/tmp: a folder, not a JSON file"),
            (["train", "--config", "/dev/null"], "/dev/null: cannot be read (not a regular file, or no permission)"),
            (["train", "--learning-rate", "inf"], "--learning-rate must be a finite number (got inf)"),
            (["train", "--steps", "10", "--output", ""], "--output is empty: name the run folder"),
            (["run", "--connect", "no-such-host.invalid:5600", "--duration", "1"], "--connect: cannot resolve the host 'no-such-host.invalid'"),
        ]
        // A replay larger than this machine's memory (1e9 pendulum transitions: 48 GB).
        let memory = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        if memory < 48e9 {
            cases.append((["train", "--replay-capacity", "1000000000"], "--replay-capacity (1000000000) needs 48.0 GB for pendulum's transitions; this machine has"))
        }
        for (arguments, message) in cases {
            let out = folder + "/\(arguments.joined().hashValue)"
            let r = try svgrt(arguments.contains("--output") ? arguments : arguments + ["--output", out])
            XCTAssertFalse(r.output.contains("NSCocoaErrorDomain"), "\(arguments): \(r.output)")
            XCTAssertNotEqual(r.status, 0, "\(arguments)")
            XCTAssertTrue(r.output.contains(message), "\(arguments): \(r.output)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(arguments) wrote \(out)")
        }
    }

    /// Negative values can follow their option after a space (`--target-entropy -2`), in svgrt
    /// and in firmware-sim (`--weak-actuator -1`, its documented "none").
    func testNegativeValuesFollowTheirOption() throws {
        let r = try svgrt(["train", "--algo", "svg0", "--target-entropy", "-2", "--entropy-bonus", "0.01", "--print-config"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("\"targetEntropy\" : -2"), r.output)
        let s = try svgrt(["train", "--algo", "sac-svg", "--target-entropy", "-1", "--final-target-entropy", "-4", "--print-config"])
        XCTAssertEqual(s.status, 0, s.output)
        XCTAssertTrue(s.output.contains("\"initialTargetEntropy\" : -1") && s.output.contains("\"finalTargetEntropy\" : -4"), s.output)
        let firmware = try svgrt(["--weak-actuator", "-1", "--port", "70000"], program: "firmware-sim")
        XCTAssertNotEqual(firmware.status, 0)
        XCTAssertFalse(firmware.output.contains("--weak-actuator"), firmware.output)
        XCTAssertTrue(firmware.output.contains("--port"), firmware.output)
    }

    /// --learning-rate sets every rate the algorithm has, and only those.
    func testLearningRateSetsTheRatesTheAlgorithmHas() throws {
        let r = try svgrt(["train", "--algo", "svg-inf", "--learning-rate", "0.02", "--print-config"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("\"policyLearningRate\" : 0.02") && r.output.contains("\"modelLearningRate\" : 0.02"), r.output)
        XCTAssertFalse(r.output.contains("valueLearningRate"), r.output)
    }

    /// --replay-capacity reaches the configuration (the default holds 100,000 transitions).
    func testReplayCapacityOption() throws {
        let r = try svgrt(["train", "--replay-capacity", "1000000", "--print-config"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("\"replayCapacity\" : 1000000"), r.output)
        let plain = try svgrt(["train", "--print-config"])
        XCTAssertTrue(plain.output.contains("\"replayCapacity\" : 100000,"), plain.output)
    }

    /// SVG(0) logs its own loss (the critic's), and the run folder gets its report and chart.
    func testSVG0RunLogsItsCriticLossAndWritesItsReport() throws {
        let out = folder + "/svg0"
        let r = try svgrt(["train", "--algo", "svg0", "--steps", "600", "--evaluation-interval", "200", "--output", out])
        XCTAssertEqual(r.status, 0, r.output)
        let rows = try String(contentsOfFile: out + "/curve.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows[0], "steps,episode,episode_return,evaluation_return,critic_loss,seconds")
        let losses = rows.dropFirst().compactMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[4]) }
        XCTAssertEqual(losses.count, rows.count - 1)
        XCTAssertTrue(losses.contains { $0 != 0 }, "the critic loss was never logged")
        let report = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("pendulum, svg0, seed 1"), report)
        XCTAssertTrue(report.contains("success (evaluation ≥ -200.0"), report)
        XCTAssertNotNil(report.range(of: #"gradient clip V_max = 10\.0 bound on \| policy \d+\.\d %, critic \d+\.\d % of"#, options: .regularExpression), report)
        XCTAssertNotNil(r.output.range(of: #"evaluation at 400 steps: .*; clipped policy \d+\.\d %, critic \d+\.\d %\)"#, options: .regularExpression), r.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/learning-curve.svg"))
        let config = try String(contentsOfFile: out + "/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains("\"algorithm\" : \"svg0\""), config)
        XCTAssertFalse(config.contains("modelHidden"), "SVG(0)'s configuration holds another algorithm's field")
        XCTAssertTrue(config.contains("\"klWeight\" : 0,"), "SVG(0)'s regularisers are off by default: \(config)")
    }

    /// A configuration file with some fields merges over the defaults; an unknown field is
    /// refused; a run with nothing left to do, or resumed with another replay size, leaves the
    /// folder as it was.
    func testPartialConfigFileAndNoOpResume() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let partial = folder + "/partial.json", bad = folder + "/bad.json"
        try #"{"steps": 400, "hyperparameters": {"batchSize": 32}}"#.write(toFile: partial, atomically: true, encoding: .utf8)
        try #"{"steps": 400, "stpes": 3}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let run = folder + "/run"
        let r = try svgrt(["train", "--config", partial, "--output", run])
        XCTAssertEqual(r.status, 0, r.output)
        let config = try String(contentsOfFile: run + "/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains("\"batchSize\" : 32") && config.contains("\"steps\" : 400"), config)
        XCTAssertTrue(config.contains("\"klWeight\" : 0.03"), "the pendulum's default went missing")
        let refused = try svgrt(["train", "--config", bad, "--output", folder + "/never"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.output.contains("unknown field 'stpes'"), refused.output)
        let curve = try String(contentsOfFile: run + "/curve.csv", encoding: .utf8)
        let noop = try svgrt(["train", "--resume", run, "--output", run])
        XCTAssertNotEqual(noop.status, 0)
        XCTAssertTrue(noop.output.contains("nothing to do"), noop.output)
        XCTAssertEqual(try String(contentsOfFile: run + "/config.json", encoding: .utf8), config)
        XCTAssertEqual(try String(contentsOfFile: run + "/curve.csv", encoding: .utf8), curve)
        let resized = try svgrt(["train", "--resume", run, "--steps", "600", "--replay-capacity", "5000"])
        XCTAssertNotEqual(resized.status, 0)
        XCTAssertTrue(resized.output.contains("--replay-capacity cannot change when resuming: the run's replay holds 100000"), resized.output)
        XCTAssertEqual(try String(contentsOfFile: run + "/curve.csv", encoding: .utf8), curve)
        let more = try svgrt(["train", "--resume", run, "--steps", "600", "--output", run])
        XCTAssertEqual(more.status, 0, more.output)
        XCTAssertTrue(more.output.contains("resumed \(run) at 400 steps"), more.output)
        // The seconds column runs on across the resume.
        let seconds = try String(contentsOfFile: run + "/curve.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: ",", omittingEmptySubsequences: false).last ?? "") ?? -1 }
        XCTAssertGreaterThan(seconds.count, 2)
        XCTAssertEqual(seconds, seconds.sorted(), "seconds went back at the resume: \(seconds)")
    }

    /// The plant's yardsticks reach the train report (the Hand's LQR and parked hand).
    func testTrainReportCarriesThePlantsYardsticks() throws {
        let out = folder + "/hand"
        let r = try svgrt(["train", "--plant", "hand", "--steps", "2000", "--evaluation-interval", "2000", "--evaluation-episodes", "2",
                           "--model-steps-per-episode", "5", "--output", out])
        XCTAssertEqual(r.status, 0, r.output)
        let report = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("| yardstick: finite-horizon LQR that knows the plant | -0.1 |"), report)
        XCTAssertTrue(report.contains("hand and ball within 0.1 m"), report)
        XCTAssertTrue(report.contains("| build | svgrt "), "the report does not name its build")
        let chart = try String(contentsOfFile: out + "/learning-curve.svg", encoding: .utf8)
        XCTAssertTrue(chart.contains("hand parked on its target, ball ignored"), "the chart lacks the yardstick")
    }

    /// `svgrt --version` names the release, the architecture, the build, the wire protocol and
    /// checkpoint format versions, and whether MuJoCo was found, in one line.
    func testVersionNamesTheBuildAndItsFormats() throws {
        let r = try svgrt(["--version"])
        XCTAssertEqual(r.status, 0, r.output)
        let lines = r.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.output)
        let line = String(lines.first ?? "")
        XCTAssertTrue(line.hasPrefix("svgrt 0."), line)
        #if arch(x86_64)
        XCTAssertTrue(line.contains("(x86_64, "), line)
        #endif
        XCTAssertTrue(line.contains("release;") || line.contains("debug;"), line)
        XCTAssertTrue(line.contains("wire protocol 1, checkpoint format 1;"), line)
        XCTAssertTrue(line.contains("MuJoCo") , line)
        // firmware-sim names the same release and wire protocol.
        let firmware = try svgrt(["--version"], program: "firmware-sim")
        XCTAssertEqual(firmware.status, 0, firmware.output)
        let release = line.split(separator: " ")[1]
        XCTAssertTrue(firmware.output.hasPrefix("firmware-sim \(release) ("), firmware.output)
        XCTAssertTrue(firmware.output.contains("wire protocol 1;"), firmware.output)
    }

    /// A new run into a folder that holds another run moves that run to FOLDER.1 (then .2, …)
    /// instead of overwriting it; resuming a folder in place moves nothing.
    func testANewRunNeverOverwritesAnEarlierOne() throws {
        let run = folder + "/twice"
        XCTAssertEqual(try svgrt(["train", "--steps", "400", "--seed", "1", "--output", run]).status, 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.svgp"))
        let second = try svgrt(["train", "--steps", "400", "--seed", "2", "--output", run])
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertTrue(second.output.contains("\(run) held an earlier run; moved it to \(run).1"), second.output)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: run + ".1/checkpoint.svgp")), first, "the earlier run was not kept")
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.svgp")), first, "seed 2 wrote nothing")
        let third = try svgrt(["train", "--steps", "400", "--output", run])
        XCTAssertTrue(third.output.contains("moved it to \(run).2"), third.output)
        let resumed = try svgrt(["train", "--resume", run, "--steps", "800"])  // in place by default
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertFalse(resumed.output.contains("moved it"), resumed.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: run + ".3"))
        XCTAssertTrue(try String(contentsOfFile: run + "/curve.csv", encoding: .utf8).contains("\n800,"), "the resumed run did not continue in place")
    }

    /// A run stopped between a checkpoint and the evaluation of the same step resumes with that
    /// evaluation played, equal to the uninterrupted run's row.
    func testResumeRestoresAnEvaluationTheStopCutOff() throws {
        let whole = folder + "/whole", cut = folder + "/cut"
        XCTAssertEqual(try svgrt(["train", "--steps", "600", "--evaluation-interval", "200", "--output", whole]).status, 0)
        XCTAssertEqual(try svgrt(["train", "--steps", "400", "--evaluation-interval", "200", "--output", cut]).status, 0)
        // As a stop right after the checkpoint at 400 leaves it: the 400 evaluation not yet in curve.csv.
        let rows = try String(contentsOfFile: cut + "/curve.csv", encoding: .utf8).split(separator: "\n")
        func isEvaluation400(_ r: Substring) -> Bool { r.hasPrefix("400,") && r.split(separator: ",", omittingEmptySubsequences: false)[3] != "" }
        XCTAssertEqual(rows.filter(isEvaluation400).count, 1)
        try (rows.filter { !isEvaluation400($0) }.joined(separator: "\n") + "\n").write(toFile: cut + "/curve.csv", atomically: true, encoding: .utf8)
        let resumed = try svgrt(["train", "--resume", cut, "--steps", "600"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertTrue(resumed.output.contains("evaluation at 400 steps (missing from the resumed curve)"), resumed.output)
        func evaluations(_ run: String) throws -> [String] {
            try String(contentsOfFile: run + "/curve.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false) }.filter { $0[3] != "" }.map { "\($0[0]) \($0[3])" }
        }
        XCTAssertEqual(try evaluations(cut), try evaluations(whole), "the resumed curve's evaluations against the uninterrupted run's")
        // A resume with its evaluation in place plays none again.
        let again = try svgrt(["train", "--resume", whole, "--steps", "800"])
        XCTAssertFalse(again.output.contains("missing from the resumed curve"), again.output)
    }

    /// A run killed at any moment leaves a checkpoint whose curve holds every evaluation up to
    /// the checkpoint's step, that step's included (it is evaluated before the checkpoint is
    /// written), and the resume has nothing to replay.
    func testACheckpointHoldsItsOwnStepsEvaluation() throws {
        let run = folder + "/each"
        let process = svgrtProcess(["train", "--steps", "1000000", "--evaluation-interval", "200", "--checkpoint-every", "0.000001", "--output", run])
        process.standardError = FileHandle.nullDevice
        try process.run()
        // curve.csv as the last checkpoint wrote it (atomically): column 0 steps, 2 episode_return, 3 evaluation_return.
        func rows() -> [[Substring]] {
            guard let text = try? String(contentsOfFile: run + "/curve.csv", encoding: .utf8) else { return [] }
            return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        }
        let deadline = Date().addingTimeInterval(120)
        while rows().filter({ $0[2] != "" }).count < 5 && Date() < deadline { usleep(50_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let written = rows()
        let episodeEnds = written.filter { $0[2] != "" }.map { Int($0[0])! }
        XCTAssertGreaterThanOrEqual(episodeEnds.count, 5, "the run wrote too few checkpoints in 120 s")
        guard let last = episodeEnds.last else { return }
        let evaluated = written.filter { $0[3] != "" }.map { Int($0[0])! }
        XCTAssertEqual(evaluated, Array(stride(from: 200, through: last, by: 200)), "the evaluations in the checkpoint's curve")
        let resumed = try svgrt(["train", "--resume", run, "--steps", "\(last + 400)"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        // The curve is written before the checkpoint: a kill between the two leaves the checkpoint
        // one episode behind the curve, never ahead of it.
        XCTAssertTrue(resumed.output.contains("resumed \(run) at \(last) steps") || resumed.output.contains("resumed \(run) at \(last - 200) steps"),
                      resumed.output)
        XCTAssertFalse(resumed.output.contains("missing from the resumed curve"), resumed.output)
    }

    /// A curve ahead of its checkpoint (a kill after the curve's write, before the checkpoint's)
    /// resumes with the rows past the checkpoint dropped and run again: the same rows as the
    /// uninterrupted run, none twice.
    func testResumeDropsCurveRowsPastTheCheckpoint() throws {
        let whole = folder + "/whole-ahead", cut = folder + "/cut-ahead"
        XCTAssertEqual(try svgrt(["train", "--steps", "600", "--evaluation-interval", "200", "--output", whole]).status, 0)
        XCTAssertEqual(try svgrt(["train", "--steps", "400", "--evaluation-interval", "200", "--output", cut]).status, 0)
        let wholeCurve = try String(contentsOfFile: whole + "/curve.csv", encoding: .utf8)
        try wholeCurve.write(toFile: cut + "/curve.csv", atomically: true, encoding: .utf8)
        let resumed = try svgrt(["train", "--resume", cut, "--steps", "600"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        func withoutSeconds(_ run: String) throws -> [String] {
            try String(contentsOfFile: run + "/curve.csv", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
        }
        XCTAssertEqual(try withoutSeconds(cut), try withoutSeconds(whole))
    }

    /// A run records the revision of its plant's definition. A run recorded on another revision
    /// (or with none, from before revisions were recorded, on a plant past its first) is refused
    /// on resume (`svgrt train` and `svgrt run`) and on evaluation in one line naming both
    /// revisions, nothing is written, and the same run on its own revision resumes.
    func testARunOfAnotherPlantRevisionIsRefused() throws {
        let swimmer = PlantRegistry.revision(of: "swimmer3").number
        XCTAssertGreaterThan(swimmer, 1, "the swimmer's observation changed after revision 1")
        XCTAssertEqual(PlantRegistry.revision(of: "pendulum").number, 1)
        let run = folder + "/swimmer", config = run + "/config.json"
        let trained = try svgrt(["train", "--plant", "swimmer3", "--algo", "svg1", "--steps", "1000", "--evaluation-interval", "1000",
                                 "--evaluation-episodes", "1", "--output", run])
        XCTAssertEqual(trained.status, 0, trained.output)
        func recorded() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config))) as! [String: Any]
        }
        XCTAssertEqual(try recorded()["plantRevision"] as? Int, swimmer)
        func write(revision: Int?) throws {
            var fields = try recorded()
            fields["plantRevision"] = revision
            try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: config))
        }
        func contents() throws -> [Data] { try ["config.json", "curve.csv", "checkpoint.svgp", "report.md"].map { try Data(contentsOf: URL(fileURLWithPath: run + "/" + $0)) } }
        for old in [nil, 1] {
            try write(revision: old)
            let before = try contents()
            for arguments in [["train", "--resume", run, "--steps", "2000"], ["evaluate", run, "--episodes", "1"],
                              ["run", "--resume", run, "--duration", "1", "--output", folder + "/online"]] {
                let refused = try svgrt(arguments)
                XCTAssertNotEqual(refused.status, 0, refused.output)
                XCTAssertTrue(refused.output.contains("recorded for swimmer3 revision 1, and this build's swimmer3 is revision \(swimmer)"), refused.output)
                XCTAssertTrue(refused.output.contains("nose's frame"), "says what changed: \(refused.output)")
                XCTAssertEqual(refused.output.split(separator: "\n").filter { $0.contains("revision") }.count, 1, "one line: \(refused.output)")
            }
            XCTAssertEqual(try contents(), before, "a refused resume changed the folder")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/online"), "a refused svgrt run wrote its folder")
        }
        // A --config file recording another revision is refused too.
        try write(revision: swimmer + 1)
        let other = try svgrt(["train", "--config", config, "--steps", "1000", "--output", folder + "/other"])
        XCTAssertNotEqual(other.status, 0, other.output)
        XCTAssertTrue(other.output.contains("revision \(swimmer + 1)"), other.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/other"))
        // Its own revision resumes; so does a pendulum run recording none (revision 1 is the pendulum's).
        try write(revision: swimmer)
        let resumed = try svgrt(["train", "--resume", run, "--steps", "2000", "--evaluation-episodes", "1"])
        XCTAssertEqual(resumed.status, 0, resumed.output)
        let pendulum = folder + "/pendulum"
        XCTAssertEqual(try svgrt(["train", "--steps", "400", "--output", pendulum]).status, 0)
        var fields = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: pendulum + "/config.json"))) as! [String: Any]
        fields["plantRevision"] = nil
        try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: pendulum + "/config.json"))
        let pendulumResumed = try svgrt(["train", "--resume", pendulum, "--steps", "600"])
        XCTAssertEqual(pendulumResumed.status, 0, pendulumResumed.output)
    }

    /// A resumed run killed before its first checkpoint leaves the folder byte for byte as it was.
    func testRunKilledBeforeItsFirstCheckpointLeavesTheFolderAsItWas() throws {
        let run = folder + "/killed"
        XCTAssertEqual(try svgrt(["train", "--steps", "400", "--output", run]).status, 0)
        let files = ["config.json", "curve.csv", "checkpoint.svgp", "report.md"]
        func contents() throws -> [Data] { try files.map { try Data(contentsOf: URL(fileURLWithPath: run + "/" + $0)) } }
        let before = try contents()
        let process = svgrtProcess(["train", "--resume", run, "--steps", "1000000", "--output", run])
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(1_500_000)  // evaluations happen; the first checkpoint is 60 s away
        process.terminate()
        process.waitUntilExit()
        XCTAssertEqual(try contents(), before, "the killed run changed the folder")
    }
}

