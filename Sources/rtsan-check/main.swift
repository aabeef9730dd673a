// rtsan-check: the control loop under LLVM's RealtimeSanitizer (RTSan).
//
// swiftc 6.3 has no `-sanitize=realtime`, but the toolchain ships clang's RTSan runtime
// (`lib/clang/*/lib/linux/libclang_rt.rtsan-<arch>.a`). `scripts/rtsan-check` links it into this
// executable (whole archive, symbols exported so its malloc, free, pthread and syscall
// interceptors take over), and this program marks the control cycle's own work as real-time
// sections with `__rtsan_realtime_enter`/`_exit` through `ControlLoop.realtimeSection`. Inside a
// section any allocation, free, lock or blocking call aborts with RTSan's report. The sections
// cover everything a cycle does except the wait for the SENSE and the `sendto` (the loop's own
// syscalls, which the sections leave out on purpose).
//
// Usage: rtsan-check [CYCLES] [--inject-allocation] [--firmware PATH]
//   Runs CYCLES control cycles (default 3,000) at 500 Hz against firmware-sim (pendulum, real
//   time) with the SVG(1)-ER learner on another thread; exit 0 and a summary line when RTSan
//   found nothing (firmware-sim is looked for next to this executable unless --firmware says
//   where). --inject-allocation allocates inside one section (the 2,000th): RTSan must abort.
import FirmwareLauncher
import Foundation
import Learn
import Link
import Runtime
import Training

typealias Hook = @convention(c) () -> Void

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(("rtsan-check: " + message + "\n").data(using: .utf8)!)
    exit(2)
}

// The runtime's entry points, found at run time so this target links without the archive.
guard let enterSymbol = dlsym(nil, "__rtsan_realtime_enter"), let exitSymbol = dlsym(nil, "__rtsan_realtime_exit"),
      let initSymbol = dlsym(nil, "__rtsan_ensure_initialized")
else { fail("the RealtimeSanitizer runtime is not linked in (build with scripts/rtsan-check)") }
unsafeBitCast(initSymbol, to: Hook.self)()
nonisolated(unsafe) var rtsanEnter = unsafeBitCast(enterSymbol, to: Hook.self)
nonisolated(unsafe) var sectionsEntered = 0
nonisolated(unsafe) var injectAtSection = -1
nonisolated(unsafe) var firmwarePID: pid_t = 0

/// Runs the check; returns normally when RTSan reported nothing (a report aborts the process).
func runCheck() throws {
    let arguments = CommandLine.arguments.dropFirst()
    let cycles = arguments.first.flatMap { Int($0) } ?? 3_000
    if arguments.contains("--inject-allocation") { injectAtSection = 2_000 }

    // firmware-sim: --firmware PATH, or next to this executable.
    let rate = 500.0
    let firmwarePath = arguments.firstIndex(of: "--firmware").map { arguments[$0 + 1] }
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("firmware-sim").path
    let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--tick-rate", "\(rate)", "--port", "0"],
                                       executable: URL(fileURLWithPath: firmwarePath))
    let port = firmware.port
    // RTSan ends the process on a report without running `defer`: stop the plant from its death callback.
    firmwarePID = firmware.process.processIdentifier
    if let setDeathCallback = dlsym(nil, "__sanitizer_set_death_callback") {
        typealias SetCallback = @convention(c) (Hook?) -> Void
        unsafeBitCast(setDeathCallback, to: SetCallback.self)({ if firmwarePID > 0 { kill(firmwarePID, SIGTERM) } })
    }
    defer { firmware.stop() }

    // What `svgrt run` assembles (`OnlineSession`), with the pendulum's default agent.
    let trainer = try Trainer(TrainingConfiguration.defaults(for: "pendulum"))
    let transport = try UDPTransport(port: 0)
    try transport.connect(port: port)
    let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
    try client.handshake()
    var controlOptions = ControlLoop.Options()
    controlOptions.periodNanoseconds = Int(1e9 / rate)
    controlOptions.senseWaitMicroseconds = Int(0.8e6 / rate)
    controlOptions.phaseLeadNanoseconds = Int(0.25e9 / rate)
    controlOptions.spinMicroseconds = Int(0.5e6 / rate)
    let session = OnlineSession(agent: trainer.agent, client: client, safety: SafetyChain(low: [-2], high: [2]), control: controlOptions)
    let control = session.control, learner = session.learner
    control.realtimeSection = (
        enter: {
            rtsanEnter()
            sectionsEntered += 1
            if sectionsEntered == injectAtSection {
                // A deliberate heap allocation inside the section: RTSan must report `malloc`.
                let p = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
                p.deallocate()
            }
        },
        exit: unsafeBitCast(exitSymbol, to: Hook.self))

    session.start(maximumCycles: cycles)
    while !session.controlHasFinished { usleep(5000) }
    session.stop()
    let updates = learner.updates.load(ordering: .relaxed)
    guard control.cycles == cycles, updates > 0, control.policyVersion > 1 else {
        fail("the check did not exercise the loop: \(control.cycles) cycles, \(updates) learner updates, policy v\(control.policyVersion)")
    }
    print("rtsan-check: \(control.cycles) control cycles in \(sectionsEntered) real-time sections (\(control.safeActions) safe actions, "
          + "\(control.plantRestarts) re-handshakes, \(control.failedHandshakes) failed), "
          + "learner \(updates) updates, policy v\(control.policyVersion): RealtimeSanitizer reported nothing")
}

do { try runCheck() } catch { fail("\(error)") }
