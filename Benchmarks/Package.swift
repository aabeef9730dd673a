// swift-tools-version: 6.1
// The benchmark suites live in a package of their own (package-benchmark's advice): library
// users and the test build never compile the benchmark tooling. Run from this folder:
//   swift package benchmark                      # all suites, figures printed
//   swift package benchmark thresholds check     # fails if an allocation crept in
import PackageDescription

let package = Package(
    name: "svg-rt-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "svg-rt", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "NetBenchmarks",
            dependencies: [
                .product(name: "Net", package: "svg-rt"),
                .product(name: "Learn", package: "svg-rt"),
                .product(name: "Training", package: "svg-rt"),
                .product(name: "_Tracepoints", package: "svg-rt"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "NetBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Plant steps (MuJoCo tasks, pendulum); the peer is gymnasium_peer.py.
        .executableTarget(
            name: "PlantBenchmarks",
            dependencies: [
                .product(name: "Plants", package: "svg-rt"),
                .product(name: "Random", package: "svg-rt"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "PlantBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
