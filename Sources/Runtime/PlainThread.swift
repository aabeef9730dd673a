import _RuntimeShims

/// A closure run on a plain pthread (`svgrt_start_thread`): how the control and learner
/// threads start, in production and in the checks alike. No Foundation.
public struct PlainThread: Sendable {
    let handle: UInt

    final class Body {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread.
    public static func start(_ body: @escaping () -> Void) -> PlainThread {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread: UInt = 0
        let result = svgrt_start_thread({ context in
            let box = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            box.body()
        }, box, &thread)
        precondition(result == 0, "pthread_create failed: \(result)")
        return PlainThread(handle: thread)
    }

    /// Waits for the thread to finish.
    public func join() { _ = svgrt_join_thread(handle) }
}
