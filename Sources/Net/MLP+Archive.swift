/// Moving an `MLP`'s parameters to and from `ParameterArchive` records. The values are stored
/// unpadded in PyTorch's order: per layer, W as [outputs][inputs] row-major, then b.
extension MLP {
    /// A record holding this network's parameters, its shape the layer sizes.
    public func parameterRecord(named name: String) -> ParameterArchive.Record {
        var values: [Float] = []
        values.reserveCapacity(parameterCount)
        for layer in layers {
            for o in 0..<layer.outputs {
                for i in 0..<layer.inputs { values.append(parameters[layer.weightIndex(output: o, input: i)]) }
            }
            for o in 0..<layer.outputs { values.append(parameters[layer.biasIndex(output: o)]) }
        }
        return .init(name: name, shape: layerSizes, values: values)
    }

    /// Loads parameters from `record`, which must have this network's layer sizes.
    public func loadParameters(from record: ParameterArchive.Record, path: String = "<memory>") throws(ParameterArchiveError) {
        guard record.shape == layerSizes else {
            throw .shapeMismatch(path: path, record: record.name, expected: layerSizes, found: record.shape)
        }
        guard record.values.count == parameterCount else {
            throw .valueCountMismatch(path: path, record: record.name, expected: parameterCount, found: record.values.count)
        }
        var next = 0
        for layer in layers {
            for o in 0..<layer.outputs {
                for i in 0..<layer.inputs {
                    parameters[layer.weightIndex(output: o, input: i)] = record.values[next]
                    next += 1
                }
            }
            for o in 0..<layer.outputs {
                parameters[layer.biasIndex(output: o)] = record.values[next]
                next += 1
            }
        }
    }

    #if canImport(Glibc) || canImport(Musl)
    /// Writes this network alone to `path` (atomically) as the record "network".
    public func writeParameters(to path: String) throws(ParameterArchiveError) {
        try ParameterArchive(records: [parameterRecord(named: "network")]).write(to: path)
    }

    /// Reads the record "network" from `path` into this network.
    public func readParameters(from path: String) throws(ParameterArchiveError) {
        let archive = try ParameterArchive.read(from: path)
        try loadParameters(from: archive.record(named: "network", in: path), path: path)
    }
    #endif
}
