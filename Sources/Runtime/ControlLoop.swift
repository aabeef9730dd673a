#if canImport(Glibc)
import Glibc
#endif
import Learn
import Link
import Net
import Synchronization
import _RuntimeShims
import _Tracepoints

/// The 100 Hz control thread (docs/architecture.md "The real-time path"): on absolute deadlines (clock_nanosleep,
/// CLOCK_MONOTONIC, TIMER_ABSTIME) it receives the plant's SENSE (bounded wait), computes the
/// action with the newest published policy, sends ACT through the safety chain, records its
/// timing, and pushes the transition to the learner's ring. It never waits for the learner,
/// never allocates, never locks, never prints (tested by counting allocations over 10,000 cycles).
///
/// Phase: the plant ticks on its own clock and holds the last ACT until its next tick, so an
/// ACT that arrives after that tick is applied one step late and the stored transition would be
/// wrong. The loop therefore locks its phase to the SENSE arrivals: the next deadline is set
/// `phaseLead` before the next SENSE is due (last arrival + period − lead), and the ACT leaves
/// right after each SENSE. (Without the lock, depending on the phase the two clocks happened to
/// have, the same seed learned in 45 s or not in 180 s.)
///
/// Overrun policy: a cycle that ends after the next deadline counts a miss and moves the
/// schedule to now (skip, don't catch up). Misses are counted separately when the wakeup
/// itself was late (the platform's) and when the cycle's own work overran (ours).
public final class ControlLoop: @unchecked Sendable {
    public struct Options: Sendable {
        /// Control period, ns (10 ms = 100 Hz).
        public var periodNanoseconds = 10_000_000
        /// How long a cycle waits for the SENSE, µs.
        public var senseWaitMicroseconds = 8_000
        /// How long before the expected SENSE the loop wakes, ns (phase lock; 0 disables it).
        public var phaseLeadNanoseconds = 500_000
        /// Take the newest policy and run its forward pass once on the last state right after
        /// waking, while the SENSE is still on its way (the phase lead): the published block was
        /// just written by the learner's core and everything else was evicted during the 10 ms
        /// asleep, so without this the first touches land inside the SENSE → ACT window.
        public var warmCachesBeforeSense = true
        /// Poll for the SENSE without sleeping for up to this long after waking (then block for
        /// the rest of `senseWaitMicroseconds`). With the phase lock the SENSE is due `phaseLead`
        /// after the wake-up, so the default spins about that long (≈ 5 % of a core at 100 Hz):
        /// a core that slept through the lead comes back with cold caches, and on these VMs the
        /// SENSE → ACT work then took p50 7.4 µs, p99.9 67 µs over 10 minutes.
        public var spinMicroseconds = 1_000
        /// Act on the mean alone (no exploration noise).
        public var deterministic = false
        /// Every this many episodes (0: never), play one on the mean alone: an evaluation episode
        /// on the plant itself, the only evaluation a plant known just by its HELLO can have. Its
        /// report carries the mark; its transitions are not pushed to the learner (the replay
        /// algorithms weight stored actions by their density under a stochastic policy).
        public var evaluationEpisodeEvery = 0
        public var seed: UInt64 = 1
        /// Real-time set-up; each step that fails prints nothing here (see `setupReport`).
        public var fifoPriority: Int32 = 80
        public var cpu: Int32? = nil
        public var lockMemory = true
        public init() {}
    }

    public let options: Options
    public let client: PlantClient
    public let policy: GaussianPolicy
    public let parameters: TripleBuffer
    public let ring: SPSCRing
    public let progress: SPSCRing
    public let safety: SafetyChain
    public let record: TransitionRecord
    /// wakeup: deadline → running; compute: SENSE in hand → ACT encoded and handed to the OS
    /// (our own work); send: the `sendto` call itself (the OS, including waking the plant's
    /// process on this board); cycle: wakeup → end of the cycle.
    public let wakeup = LatencyHistogram(), compute = LatencyHistogram(), send = LatencyHistogram(), cycle = LatencyHistogram()

    /// Counters (read by other threads after `stop`, or approximately while running).
    public private(set) var cycles = 0, senseTimeouts = 0, safeActions = 0
    /// Deadline misses: `platformMisses` when the cycle would have missed even with none of our
    /// own work (a late wakeup, a late or missing SENSE, a slow `sendto`), `overrunMisses` when
    /// our work (the `compute` time) is what pushed it past the deadline.
    public private(set) var platformMisses = 0, overrunMisses = 0
    public private(set) var policyVersion: UInt64 = 0
    public private(set) var policyAgeCycles = 0
    public private(set) var episodes = 0
    /// What the real-time set-up achieved ("SCHED_FIFO 80 on CPU 1, memory locked" or why not).
    public private(set) var setupReport = ""
    /// Heap allocations on the control thread between warm-up and stop, when a counter is given.
    public var allocationCounter: (() -> UInt)?
    public private(set) var allocationsAfterWarmUp: UInt = 0
    public var warmUpCycles = 100
    /// Called where the cycle's own work starts and stops (everything but the wait for the SENSE
    /// and the `sendto`), so a checker can mark it as a real-time section: the RealtimeSanitizer
    /// check (`Sources/rtsan-check`) passes `__rtsan_realtime_enter`/`_exit`. nil in normal runs.
    public var realtimeSection: (enter: @convention(c) () -> Void, exit: @convention(c) () -> Void)?

    let stopFlag = Atomic<Bool>(false)
    /// Set once `setupReport` is written (other threads may read it after seeing true).
    public let setUpDone = Atomic<Bool>(false)
    let state: UnsafeMutableBufferPointer<Float>
    let action: UnsafeMutableBufferPointer<Float>
    let transition: UnsafeMutablePointer<Float>
    let report: UnsafeMutablePointer<Float>
    var previousValid = false
    var previousLogProbability: Float = 0
    var previousStep: UInt32 = 0
    var episodeReturn: Float = 0
    var episodeSteps = 0
    /// Whether the running episode is an evaluation episode (`Options.evaluationEpisodeEvery`).
    var evaluatingEpisode = false
    var silentCycles = 0
    /// Consecutive cycles without a SENSE after which the running episode is closed (reported
    /// with the "plant silent" mark); the safe action keeps going out every cycle meanwhile.
    public var silenceLimit = 10
    /// Episodes closed because the plant went silent.
    public private(set) var silentEpisodes = 0
    /// Consecutive silent cycles after which the loop tries a new handshake (the plant may have
    /// restarted without a word); a FAULT 2 "handshake required" triggers one at once.
    public var restartSilenceCycles = 100
    /// Successful re-handshakes (the plant restarted), failed attempts, and the backoff: after
    /// a failed attempt the next waits twice as many cycles, up to 128.
    public private(set) var plantRestarts = 0, failedHandshakes = 0
    /// The plant this loop was built for (the client's handshake before the loop started), and
    /// what a re-handshake found instead: a plant that comes back with another description
    /// (name, shape, actuator limits, step, tick, episode length or mode) is not controlled. The
    /// loop sends it the safe action once and stops; `changedPlant` says what answered.
    public let plantAtStart: PlantDescription?
    public private(set) var changedPlant: PlantDescription?
    /// How `changedPlant` differs from `plantAtStart` ("tick 4000 µs, was 2000 µs"); nil while
    /// the plant is the one the loop started with.
    public var plantChange: String? { changedPlant.flatMap { changed in plantAtStart.flatMap { changed.difference(from: $0) } } }
    var handshakeBackoff = 1, nextHandshakeCycle = 0
    /// The step whose reward was last added to the episode's return (each step's reward once).
    var lastRewardStep: UInt32 = 0
    var generator: Xoshiro256StarStar

    public init(options: Options, client: PlantClient, policy: GaussianPolicy, parameters: TripleBuffer, ring: SPSCRing,
                safety: SafetyChain) {
        self.options = options
        self.client = client
        self.policy = policy
        self.parameters = parameters
        self.ring = ring
        self.safety = safety
        plantAtStart = client.plant
        record = TransitionRecord(stateSize: policy.observationSize, actionSize: policy.actionSize)
        progress = SPSCRing(minimumCapacity: 256, width: EpisodeReport.width)
        state = .allocate(capacity: policy.observationSize)
        action = .allocate(capacity: policy.actionSize)
        state.initialize(repeating: 0)
        action.initialize(repeating: 0)
        transition = .allocate(capacity: record.width)
        transition.initialize(repeating: 0, count: record.width)
        report = .allocate(capacity: EpisodeReport.width)
        report.initialize(repeating: 0, count: EpisodeReport.width)
        generator = Xoshiro256StarStar(seed: options.seed)
    }

    deinit {
        state.deallocate(); action.deallocate(); transition.deallocate(); report.deallocate()
    }

    public func stop() { stopFlag.store(true, ordering: .releasing) }

    @inline(__always) public static func now() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1_000_000_000 + ts.tv_nsec
    }

    /// Real-time set-up of the calling thread: memory lock, prefaulted stack, SCHED_FIFO, CPU.
    func setUpThread() {
        var parts: [String] = []
        if options.lockMemory {
            let e = svgrt_lock_memory()
            parts.append(e == 0 ? "memory locked" : "mlockall failed (\(String(cString: strerror(e))))")
        }
        svgrt_prefault_stack(256 * 1024)
        let e = svgrt_set_fifo_priority(options.fifoPriority)
        parts.append(e == 0 ? "SCHED_FIFO \(options.fifoPriority)" : "normal priority (SCHED_FIFO refused: \(String(cString: strerror(e))))")
        if let cpu = options.cpu {
            let e = svgrt_pin_to_cpu(cpu)
            parts.append(e == 0 ? "on CPU \(cpu)" : "not pinned (\(String(cString: strerror(e))))")
        }
        setupReport = parts.joined(separator: ", ")
        setUpDone.store(true, ordering: .releasing)
    }

    /// Takes the newest published policy, if any. Real-time safe: one atomic exchange; the
    /// policy then runs straight from the taken block (no copy of the weights).
    @inline(__always) func refreshPolicy() {
        if let version = parameters.takeNewest() {
            policy.usePublished(parameters.readBlock)
            policyVersion = version
            policyAgeCycles = 0
        } else {
            policyAgeCycles += 1
        }
    }

    /// Runs cycles until `stop()` (or `maximumCycles`). Call on the control thread.
    public func run(maximumCycles: Int = .max) {
        setUpThread()
        let S = policy.observationSize, A = policy.actionSize
        let period = options.periodNanoseconds
        var deadline = Self.now() + period
        var allocationsAtWarmUp: UInt = 0
        while !stopFlag.load(ordering: .relaxed) && cycles < maximumCycles {
            var target = timespec(tv_sec: deadline / 1_000_000_000, tv_nsec: deadline % 1_000_000_000)
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
            let woke = Self.now()
            realtimeSection?.enter()
            wakeup.record(woke - deadline)
            svgrt_trace_cycle_start(Int64(cycles))
            if cycles == warmUpCycles, let counter = allocationCounter { allocationsAtWarmUp = counter() }
            // The policy for this cycle, taken before the SENSE (see `warmCachesBeforeSense`).
            refreshPolicy()
            if options.warmCachesBeforeSense { policy.forwardMean(batch: 1) }

            // Receive the newest SENSE (bounded wait), then anything queued behind it.
            realtimeSection?.exit()
            var received = false
            let spin = min(options.spinMicroseconds, options.senseWaitMicroseconds)
            let spinEnd = Self.now() + spin * 1_000
            while !received && Self.now() < spinEnd { received = client.receiveSense(timeoutMicroseconds: 0) }
            if !received && spin < options.senseWaitMicroseconds {
                received = client.receiveSense(timeoutMicroseconds: options.senseWaitMicroseconds - spin)
            }
            while received && client.receiveSense(timeoutMicroseconds: 0) {}
            realtimeSection?.enter()
            let start = Self.now()
            var beforeSend = start, afterSend = start
            // ACT out, the syscall timed on its own and left outside the real-time section.
            func sendAction() {
                beforeSend = Self.now()
                realtimeSection?.exit()
                client.sendAction(UnsafeBufferPointer(action))
                realtimeSection?.enter()
                afterSend = Self.now()
                svgrt_trace_frame_sent(client.sendSequence)
            }
            if received { svgrt_trace_frame_received(client.senseSequence, client.stepIndex) }
            // Phase lock: the next wake-up is `phaseLead` before the next SENSE is due.
            let nextDeadline = received && options.phaseLeadNanoseconds > 0
                ? start + period - options.phaseLeadNanoseconds : deadline + period
            if !received {
                senseTimeouts += 1
                silentCycles += 1
                if silentCycles == silenceLimit && episodeSteps > 0 { reportEpisode(closed: .silent) }
                if (client.handshakeRequested || silentCycles >= restartSilenceCycles) && cycles >= nextHandshakeCycle {
                    realtimeSection?.exit()
                    reconnect()
                    realtimeSection?.enter()
                }
                safety.writeSafeAction(into: action)
                safeActions += 1
                sendAction()
                previousValid = false
            } else {
                silentCycles = 0
                for i in 0..<S { state[i] = client.observation[i] }
                let flags = client.flags
                let step = client.stepIndex
                // A new episode began (its first SENSE, or a step index that went back because that
                // SENSE was lost) while the last one was open: its final SENSE was lost, and it
                // ended all the same.
                let newEpisode = flags.contains(.episodeStart) || step < lastRewardStep
                if newEpisode {
                    if episodeSteps > 0 { reportEpisode(closed: .ended, steps: client.episodeLength) }
                    lastRewardStep = 0
                }
                // Every step's reward counts once towards the return, contiguous or not.
                if !flags.contains(.episodeStart) && step > 0 && step != lastRewardStep {
                    episodeReturn += client.reward
                    episodeSteps += 1
                    lastRewardStep = step
                }
                // The transition that ended in this observation, if it is contiguous.
                if previousValid && !evaluatingEpisode && !flags.contains(.episodeStart) && step == previousStep &+ 1 {
                    for i in 0..<S { transition[record.nextState + i] = state[i] }
                    transition[record.reward] = client.reward
                    transition[record.logProbability] = previousLogProbability
                    transition[record.terminal] = flags.contains(.terminated) ? 1 : 0
                    transition[record.episode] = Float(bitPattern: UInt32(truncatingIfNeeded: episodes))
                    transition[record.step] = Float(bitPattern: step &- 1)
                    if ring.push(transition) {
                        svgrt_trace_transition_pushed(step &- 1)
                    } else {
                        svgrt_trace_ring_drop(Int64(ring.dropped))
                    }
                }
                if flags.contains(.episodeEnd) {
                    reportEpisode()
                    previousValid = false
                } else {
                    if flags.contains(.watchdogTripped) { svgrt_trace_plant_fault(Int32(FaultCode.watchdog.rawValue)) }
                    var logProbability = policy.act(UnsafeBufferPointer(state), into: action,
                                                    deterministic: options.deterministic || evaluatingEpisode, generator: &generator)
                    let interventions = safety.interventions
                    safety.apply(action)
                    if safety.interventions != interventions {
                        svgrt_trace_safety_intervention(safety.stopsApplied > 0 ? 4 : 1)
                        // The action sent is not the one sampled: store the density of the sent one.
                        logProbability = policy.logDensity(action: UnsafeBufferPointer(action), sample: 0)
                    }
                    sendAction()
                    // Remember (s, a as sent, log π(a|s)) for the next transition.
                    previousLogProbability = logProbability
                    for i in 0..<S { transition[i] = state[i] }
                    for i in 0..<A { transition[record.action + i] = action[i] }
                    previousValid = true
                    previousStep = step
                }
            }
            let end = Self.now()
            // Our work is the cycle after the SENSE minus the send syscall.
            let work = end - start - (afterSend - beforeSend)
            compute.record(work)
            if afterSend > beforeSend { send.record(afterSend - beforeSend) }
            cycle.record(end - woke)
            svgrt_trace_cycle_end(Int64(cycles), Int64(woke - deadline), Int64(work), Int64(end - woke))
            cycles += 1
            deadline = nextDeadline
            if end > deadline {
                // Missed the next deadline: whose fault, and skip rather than catch up. Ours only
                // if the cycle without our own work would have ended in time.
                let ours = end - work <= deadline
                if ours { overrunMisses += 1 } else { platformMisses += 1 }
                svgrt_trace_deadline_miss(ours ? 1 : 0, Int64(end - deadline))
                deadline = end + period - (end - deadline) % period
            }
            realtimeSection?.exit()
        }
        if let counter = allocationCounter, cycles > warmUpCycles { allocationsAfterWarmUp = counter() - allocationsAtWarmUp }
    }

    /// Why an episode report was sent.
    public enum EpisodeClose: Float { case ended = 0, silent = 1, plantRestarted = 2 }

    /// A new handshake after the plant restarted or fell silent: outside the real-time section
    /// (it waits up to one SENSE wait for the HELLO reply). A reply equal to the last one is not
    /// decoded again (`PlantClient`), so a plant that comes back as itself costs no allocation.
    /// Closes the running episode; nothing is learned across the gap.
    func reconnect() {
        if episodeSteps > 0 { reportEpisode(closed: .plantRestarted) }
        previousValid = false
        // Whether a plant answered: one this client shook hands with, or one of another shape.
        var answered = true
        do {
            try client.handshake(attempts: 1, timeoutMicroseconds: options.senseWaitMicroseconds)
            plantRestarts += 1
            handshakeBackoff = 1
            silentCycles = 0
            lastRewardStep = 0
        } catch {
            if case .shapeMismatch = error {} else { answered = false }
            failedHandshakes += 1
            handshakeBackoff = min(handshakeBackoff * 2, 128)
        }
        nextHandshakeCycle = cycles + handshakeBackoff
        if answered, let seen = client.lastHello, let start = plantAtStart, seen != start {
            changedPlant = seen
            stopFlag.store(true, ordering: .releasing)
        }
    }

    /// Reports the running episode; `steps` is its length when the SENSE that ended it was lost
    /// (nil: the step index of the last SENSE).
    func reportEpisode(closed: EpisodeClose = .ended, steps: Int? = nil) {
        let received = episodeSteps
        let length = closed == .ended ? steps ?? Int(client.stepIndex) : episodeSteps
        report[0] = Float(episodes)
        report[1] = episodeReturn
        report[2] = Float(length)
        report[3] = Float(compute.percentile(0.99))
        report[4] = Float(wakeup.percentile(0.99))
        report[5] = Float(platformMisses + overrunMisses)
        report[6] = Float(ring.dropped)
        report[7] = Float(policyVersion)
        report[8] = Float(senseTimeouts)
        report[9] = Float(policyAgeCycles)
        report[10] = closed.rawValue
        // Steps of the episode whose SENSE (and so reward) never arrived.
        report[11] = closed == .ended ? Float(max(length - received, 0)) : 0
        report[12] = evaluatingEpisode ? 1 : 0
        progress.push(report)
        if closed == .silent { silentEpisodes += 1 }
        episodes += 1
        episodeReturn = 0
        episodeSteps = 0
        let every = options.evaluationEpisodeEvery
        evaluatingEpisode = every > 0 && episodes % every == every - 1
    }
}
