/// Why the controller's side of the link could not get an answer it can use.
public enum LinkError: Error, Equatable, CustomStringConvertible {
    /// No valid answer within the timeout after every retry.
    case timeout(waitingFor: String, attempts: Int)
    /// The plant's shape is not the one this controller was built for.
    case shapeMismatch(plant: String, observationSize: Int, actionSize: Int, expectedObservationSize: Int, expectedActionSize: Int)
    /// The operation needs a handshake first.
    case notConnected
    /// The plant reported a fault that ends the operation.
    case fault(FaultCode, detail: UInt32)
    /// The plant said BYE.
    case plantClosed

    public var description: String {
        switch self {
        case let .timeout(what, attempts):
            return "no \(what) from the plant after \(attempts) attempts: is firmware-sim running, and on this port?"
        case let .shapeMismatch(plant, s, a, es, ea):
            return "plant '\(plant)' has a \(s)-dimensional observation and \(a)-dimensional action, but this controller was built for \(es) and \(ea)"
        case .notConnected:
            return "no handshake with the plant yet"
        case let .fault(code, detail):
            return "the plant reported fault \(code) (detail \(detail))"
        case .plantClosed:
            return "the plant closed the link (BYE)"
        }
    }
}
