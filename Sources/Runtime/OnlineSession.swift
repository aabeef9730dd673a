#if canImport(Glibc)
import Glibc
#endif
import Learn
import Link
import Synchronization
import _RuntimeShims

/// One online run, assembled (docs/architecture.md "The real-time path"): the transition ring,
/// the policy hand-offs (one to the control thread, optionally one to a monitor), the learner
/// thread driving `agent`, and the control loop acting with a copy of the agent's policy. It
/// starts the two threads the same way for `svgrt run`, `rtsan-check` and the tests: plain
/// pthreads, the learner first, the control thread once the first policy is published.
public final class OnlineSession: @unchecked Sendable {
    public let agent: any Agent
    public let ring: SPSCRing
    /// The control thread's hand-off, and the monitor's (nil unless asked for).
    public let toControl: TripleBuffer, toMonitor: TripleBuffer?
    public let learner: Learner
    public let control: ControlLoop
    var learnerThread: PlainThread?, controlThread: PlainThread?
    let controlFinished = Atomic<Bool>(false)

    /// Transitions the ring holds (a stalled learner loses the newest beyond this, counted).
    public static let ringCapacity = 16_384

    /// `agent` must learn after every step; `client` must have completed its handshake.
    public init(agent: any Agent, client: PlantClient, safety: SafetyChain, control controlOptions: ControlLoop.Options,
                learner learnerOptions: Learner.Options = .init(), monitor: Bool = false) {
        self.agent = agent
        let record = TransitionRecord(stateSize: agent.replay.stateSize, actionSize: agent.replay.actionSize)
        ring = SPSCRing(minimumCapacity: Self.ringCapacity, width: record.width)
        toControl = TripleBuffer(count: agent.policy.publishedCount)
        toMonitor = monitor ? TripleBuffer(count: agent.policy.publishedCount) : nil
        learner = Learner(options: learnerOptions, agent: agent, ring: ring, published: [toControl] + (toMonitor.map { [$0] } ?? []))
        // Same sizes, squash and σ kind as the learner's policy; the parameters come through the hand-off.
        control = ControlLoop(options: controlOptions, client: client, policy: GaussianPolicy(copying: agent.policy, maxBatch: 1),
                              parameters: toControl, ring: ring, safety: safety)
    }

    /// Starts the learner thread, waits for its first publication, then starts the control
    /// thread for at most `maximumCycles` cycles.
    public func start(maximumCycles: Int = .max) {
        learnerThread = PlainThread.start { [learner] in learner.run() }
        while learner.version.load(ordering: .acquiring) == 0 { usleep(1000) }
        controlThread = PlainThread.start { [self] in
            control.run(maximumCycles: maximumCycles)
            controlFinished.store(true, ordering: .releasing)
        }
    }

    /// Waits until the control thread has written its set-up report.
    public func waitForControlSetUp() {
        while !control.setUpDone.load(ordering: .acquiring) { usleep(1000) }
    }

    /// True once the control thread has run its cycles or been stopped.
    public var controlHasFinished: Bool { controlFinished.load(ordering: .acquiring) }

    /// Stops the control thread, then the learner (which drains the ring once more), and joins both.
    public func stop() {
        control.stop()
        controlThread?.join()
        controlThread = nil
        learner.stop()
        learnerThread?.join()
        learnerThread = nil
    }
}
