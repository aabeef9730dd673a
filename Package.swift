// swift-tools-version: 6.1
import PackageDescription

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The CPU the SIMD kernels are compiled for. The fused multiply-add shim (Sources/_NetShims) only
// becomes one vector instruction when clang is told the CPU has FMA; without it a batch-1 policy
// forward is ~75× slower (docs/architecture.md "Build settings"). Defaults on an x86_64 host: x86-64-v4 (AVX-512) when
// the host's /proc/cpuinfo lists avx512f, avx512bw, avx512dq and avx512vl, else x86-64-v3 (AVX2 +
// FMA); nothing on aarch64, where FMA is baseline. Override for a board with SVGRT_CPU_FLAGS, e.g.
// SVGRT_CPU_FLAGS="-mcpu=cortex-a72" or SVGRT_CPU_FLAGS="" (portable, slow).
let hostHasAVX512: Bool = {
    #if arch(x86_64) && os(Linux)
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return false }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    return ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    #else
    return false
    #endif
}()
let cpuFlags: [String] = {
    if let flags = ProcessInfo.processInfo.environment["SVGRT_CPU_FLAGS"] {
        return flags.split(separator: " ").map(String.init)
    }
    #if arch(x86_64)
    return [hostHasAVX512 ? "-march=x86-64-v4" : "-march=x86-64-v3"]
    #else
    return []
    #endif
}()
// The 16-lane kernels (SIMD16 in Sources/Net/KernelVector.swift) when the target has AVX-512;
// SVGRT_WIDE_VECTORS=1 or 0 forces them on or off.
let wideVectors: Bool = {
    if let forced = ProcessInfo.processInfo.environment["SVGRT_WIDE_VECTORS"] { return forced == "1" }
    return cpuFlags.contains { $0.contains("x86-64-v4") || $0.contains("avx512f") }
}()
let simdSwiftSettings: [SwiftSetting] =
    (cpuFlags.isEmpty ? [] : [.unsafeFlags(cpuFlags.flatMap { ["-Xcc", $0] })])
    + (wideVectors ? [.define("SVGRT_WIDE_VECTORS")] : [])
let simdCSettings: [CSetting] = cpuFlags.isEmpty ? [] : [.unsafeFlags(cpuFlags)]

let package = Package(
    name: "svg-rt",
    products: [
        .library(name: "Net", targets: ["Net"]),
        .library(name: "Checksum", targets: ["Checksum"]),
        .library(name: "Random", targets: ["Random"]),
        .library(name: "Plants", targets: ["Plants"]),
        .library(name: "Link", targets: ["Link"]),
        .library(name: "Learn", targets: ["Learn"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        // For the benchmark of a tracepoint's cost only.
        .library(name: "_Tracepoints", targets: ["_Tracepoints"]),
        .executable(name: "svgrt", targets: ["svgrt"]),
        .executable(name: "firmware-sim", targets: ["firmware-sim"]),
        // Test support: counts the calling thread's heap allocations by interposing malloc.
        .library(name: "AllocationCounter", targets: ["_AllocationCounter"]),
    ],
    // LTTng-UST tracepoints are compiled in by default; `swift build --disable-default-traits`
    // builds for a board without liblttng-ust (the trace functions are then empty).
    traits: [
        .trait(name: "LTTng", description: "Fire LTTng-UST tracepoints (needs liblttng-ust-dev)."),
        .default(enabledTraits: ["LTTng"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "_NetShims", cSettings: simdCSettings),
        .target(name: "Checksum"),
        .target(name: "Random"),
        .target(name: "Net", dependencies: ["_NetShims", "Checksum", "Random"], swiftSettings: simdSwiftSettings),
        // The MuJoCo C library, opened at run time; compiled against the headers scripts/setup-mujoco
        // links at .mujoco/include (without them the MuJoCo plants say they are unavailable).
        .target(name: "_MuJoCo", cSettings: [.headerSearchPath("../../.mujoco/include")], linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "Plants", dependencies: ["Random", "_MuJoCo"]),
        .target(name: "Learn", dependencies: ["Net", "Checksum"], swiftSettings: simdSwiftSettings),
        .target(name: "Training", dependencies: ["Learn", "Plants", "Net"]),
        .executableTarget(
            name: "svgrt",
            dependencies: ["Training", "Learn", "Plants", "Net", "Runtime", "Link", "TraceAnalysis", "FirmwareLauncher",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .target(name: "_LinkShims"),
        .target(name: "_RuntimeShims"),
        .target(
            name: "_Tracepoints",
            exclude: ["svgrt_tp.h"],
            cSettings: [.define("SVGRT_LTTNG", .when(traits: ["LTTng"])), .headerSearchPath(".")],
            linkerSettings: [.linkedLibrary("lttng-ust", .when(traits: ["LTTng"])), .linkedLibrary("dl", .when(traits: ["LTTng"]))]),
        .target(name: "Runtime", dependencies: ["Net", "Learn", "Link", "_RuntimeShims", "_Tracepoints"]),
        .target(name: "TraceAnalysis", dependencies: ["Runtime", "_Tracepoints"]),
        .target(name: "Link", dependencies: ["Checksum", "_LinkShims"]),
        .executableTarget(
            name: "firmware-sim",
            dependencies: ["Plants", "Link", "Random", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "firmware-sim"),
        // The control loop under RealtimeSanitizer; scripts/rtsan-check links clang's runtime into it.
        .executableTarget(name: "rtsan-check", dependencies: ["Runtime", "Learn", "Link", "Training", "FirmwareLauncher"]),
        // Starts firmware-sim as a child process (svgrt run, rtsan-check, the tests).
        .target(name: "FirmwareLauncher"),
        .target(name: "_AllocationCounter"),
        .testTarget(
            name: "NetTests",
            dependencies: ["Net", "Checksum", "Random", "_AllocationCounter", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: simdSwiftSettings),
        .target(name: "TestSupport", dependencies: ["Net"], path: "Tests/TestSupport"),
        .testTarget(
            name: "LearnTests",
            dependencies: ["Learn", "Net", "Plants", "Training", "_AllocationCounter", "TestSupport"]),
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["Runtime", "Learn", "Link", "Net", "Training", "Plants", "TraceAnalysis", "_AllocationCounter", "TestSupport",
                           "FirmwareLauncher", "firmware-sim", "svgrt"]),
        .testTarget(
            name: "LinkTests",
            dependencies: ["Link", "Plants", "Random", "_AllocationCounter", "_LinkShims", "TestSupport", "FirmwareLauncher", "firmware-sim"]),
        .testTarget(
            name: "PlantsTests",
            dependencies: ["Plants", "Random", "_AllocationCounter", "TestSupport"],
            exclude: ["Fixtures"]),
    ]
)
