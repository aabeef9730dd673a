#if canImport(Glibc)
import Glibc
#endif
import Learn
import Net
import Synchronization
import _Tracepoints
import _RuntimeShims

/// The learner thread (docs/architecture.md "Data flow"): drains the ring into the agent's
/// replay and runs the agent's updates continuously at normal priority, at most its
/// `updatesPerStep` per transition received once `warmup` transitions are stored, publishing
/// the policy every `publishEvery` updates with a version number. Drives agents that learn
/// after every step (`AgentSchedule.everyStep`). The update path allocates nothing;
/// checkpoints (which do) run only when asked.
public final class Learner: @unchecked Sendable {
    public struct Options: Sendable {
        /// Updates between publications of the policy.
        public var publishEvery = 10
        /// CPU to pin the learner to (the one the control thread is not on), if any.
        public var cpu: Int32? = nil
        public init() {}
    }

    public let options: Options
    public let agent: any Agent
    /// The agent's replay, and its schedule, read once.
    let replay: ReplayBuffer
    let updatesPerStep: Int, warmup: Int, reportsSecondLoss: Bool
    public let ring: SPSCRing
    /// Where the control thread reads the policy, and where the main thread's monitor does.
    public let published: [TripleBuffer]
    public let record: TransitionRecord

    /// Counters readable from other threads.
    public let updates = Atomic<Int>(0)
    public let transitions = Atomic<Int>(0)
    public let version = Atomic<Int>(0)
    /// The agent's first loss (`lossNames[0]`) after the last update, as Float bits (read by the monitor).
    public let lossBits = Atomic<UInt32>(0)
    let stopFlag = Atomic<Bool>(false)
    /// Set by the main thread to ask for a checkpoint at the next chance; cleared when written.
    public let checkpointRequested = Atomic<Bool>(false)
    public var checkpoint: (() -> Void)?
    let scratch: UnsafeMutablePointer<Float>

    /// A learned reward the agent uses (`reward.source` "learned"): one fit step before each update.
    /// Set before `run()`.
    public var rewardModel: LearnedReward?

    /// `agent` must learn after every step (`.everyStep`).
    public init(options: Options, agent: any Agent, ring: SPSCRing, published: [TripleBuffer]) {
        guard case .everyStep(let updatesPerStep, let warmup) = agent.schedule else {
            preconditionFailure("the learner thread drives agents that learn after every step")
        }
        self.options = options
        self.agent = agent
        replay = agent.replay
        self.updatesPerStep = updatesPerStep
        self.warmup = warmup
        reportsSecondLoss = agent.lossNames.count > 1
        self.ring = ring
        self.published = published
        record = TransitionRecord(stateSize: agent.replay.stateSize, actionSize: agent.replay.actionSize)
        scratch = .allocate(capacity: record.width)
    }

    deinit { scratch.deallocate() }

    public func stop() { stopFlag.store(true, ordering: .releasing) }

    /// Copies the current policy into every hand-off and publishes it.
    public func publish() {
        let v = version.add(1, ordering: .relaxed).newValue
        for buffer in published {
            agent.policy.writePublished(into: buffer.writeBlock)
            buffer.publish(version: UInt64(v))
        }
        svgrt_trace_parameter_publish(Int64(v))
    }

    /// Moves every waiting transition into the replay; returns how many.
    @discardableResult
    public func drain() -> Int {
        var moved = 0
        let S = record.stateSize, A = record.actionSize
        while ring.pop(into: scratch) {
            replay.add(
                state: UnsafeBufferPointer(start: scratch, count: S),
                action: UnsafeBufferPointer(start: scratch + record.action, count: A),
                reward: scratch[record.reward],
                nextState: UnsafeBufferPointer(start: scratch + record.nextState, count: S),
                logProbability: scratch[record.logProbability], terminal: scratch[record.terminal] != 0,
                episode: Int(scratch[record.episode].bitPattern), step: Int(scratch[record.step].bitPattern))
            moved += 1
        }
        if moved > 0 { transitions.add(moved, ordering: .relaxed) }
        return moved
    }

    /// Runs until `stop()`. Call on the learner thread.
    public func run() {
        if let cpu = options.cpu { _ = svgrt_pin_to_cpu(cpu) }
        publish()
        var sincePublish = 0
        while !stopFlag.load(ordering: .relaxed) {
            drain()
            if checkpointRequested.load(ordering: .acquiring) {
                checkpoint?()
                checkpointRequested.store(false, ordering: .releasing)
            }
            let allowed = transitions.load(ordering: .relaxed) * updatesPerStep
            if replay.count >= max(warmup, 1) && updates.load(ordering: .relaxed) < allowed {
                let begin = ControlLoop.now()
                rewardModel?.fitStep(from: replay)
                agent.update()
                let u = updates.add(1, ordering: .relaxed).newValue
                let loss = agent.loss(0)
                svgrt_trace_learner_update(Int64(u), loss, reportsSecondLoss ? agent.loss(1) : 0, Int64(ControlLoop.now() - begin))
                lossBits.store(loss.bitPattern, ordering: .relaxed)
                sincePublish += 1
                if sincePublish >= options.publishEvery {
                    publish()
                    sincePublish = 0
                }
            } else {
                var pause = timespec(tv_sec: 0, tv_nsec: 500_000)
                nanosleep(&pause, nil)
            }
        }
        drain()
    }
}
