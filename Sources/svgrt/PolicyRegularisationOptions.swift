import ArgumentParser
import Training

/// The policy regularisers both `svgrt train` and `svgrt run` take; each left unset keeps the
/// plant's default.
struct PolicyRegularisationOptions: ParsableArguments {
    @Option(help: "Weight of a penalty on the squashed policy's pre-squash mean (SVG(1), SVG(1)-ER; 0: off; default: the plant's).")
    var preSquashPenalty: Float?

    @Option(help: "Weight λ of the KL regulariser on replayed policy steps (0: off; default: the plant's).")
    var klWeight: Float?

    @Option(help: "Floor of the exploration σ as a fraction of the actuator half-range (default: the plant's).")
    var minStd: Float?

    /// Writes the options given into `c`.
    func apply(to c: inout TrainingConfiguration) throws {
        if let preSquashPenalty { c.preSquashPenalty = preSquashPenalty }
        if let klWeight { c.svg.klWeight = klWeight }
        if let minStd {
            guard minStd > 0, minStd.isFinite else { throw ValidationError("--min-std must be a positive fraction of the actuator half-range") }
            c.setStdFloor(fractionOfHalfRange: minStd)
        }
    }
}
