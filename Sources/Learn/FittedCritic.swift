import Net

/// A critic fitted towards its own target network (eqs. 11, 12 and 15): `ValueFunction` and
/// `QFunction`. What they share: the target update and the checkpoint records.
protocol FittedCritic: AnyObject {
    var network: MLP { get }
    var target: MLP { get }
    var optimizer: Adam { get }
    /// Fitting steps so far (they decide when the target is next copied).
    var steps: Int { get set }
}

extension FittedCritic {
    /// Network, target, optimiser and step count as archive records (checkpoints).
    func records(prefix: String) -> [ParameterArchive.Record] {
        [network.parameterRecord(named: prefix), target.parameterRecord(named: prefix + ".target")]
            + optimizer.records(prefix: prefix + ".adam") + [countersRecord(prefix + ".steps", [steps])]
    }

    /// Restores `records(prefix:)` of a critic of the same sizes.
    func load(from archive: ParameterArchive, prefix: String, path: String) throws(ParameterArchiveError) {
        try network.load(prefix, from: archive, path: path)
        try target.load(prefix + ".target", from: archive, path: path)
        try optimizer.load(from: archive, prefix: prefix + ".adam", path: path)
        steps = try loadCounters(prefix + ".steps", count: 1, from: archive, path: path)[0]
    }
}

/// ν⁻ ← ν every `copyInterval` steps, or ν⁻ ← (1 − τ) ν⁻ + τ ν every step when `polyak` is τ (eq. 12).
func updateTarget(_ target: MLP, from network: MLP, step: Int, polyak: Float?, copyInterval: Int) {
    if let tau = polyak {
        target.blendParameters(from: network, fraction: tau)
    } else if step % copyInterval == 0 {
        target.copyParameters(from: network)
    }
}
