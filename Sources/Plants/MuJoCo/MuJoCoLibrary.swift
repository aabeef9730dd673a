import _MuJoCo
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The MuJoCo C library behind the MuJoCo plants, opened once per process at first use.
///
/// Looked for, in order: `$SVGRT_MUJOCO_LIBRARY` (a path, e.g. on a board), `.mujoco/libmujoco.so`
/// of the checkout this was built from (made by `scripts/setup-mujoco`), then `libmujoco.so` on the
/// loader's search path. The library must be the version whose headers svg-rt was compiled
/// against (MuJoCo structs are read directly). Without headers at build time or without the
/// library at run time the MuJoCo plants are absent, and `status` says why in one line.
public enum MuJoCoLibrary {
    /// The loaded library's version ("4.0.0"), or why there is none.
    public static let status: Result<String, PlantUnavailable> = open()

    /// "MuJoCo 4.0.0", or "no MuJoCo" when none was found (the MuJoCo plants are then unavailable).
    public static var summary: String {
        switch status {
        case .success(let version): return "MuJoCo \(version)"
        case .failure: return "no MuJoCo"
        }
    }

    /// The version of the headers svg-rt was built against ("4.0.0"), nil if built without them.
    public static var headerVersion: String? {
        let v = Int(svgrt_mj_header_version())
        return v == 0 ? nil : "\(v / 1_000_000).\(v / 1000 % 1000).\(v % 1000)"
    }

    /// Warnings MuJoCo raised in this process (an unstable simulation it reset, ...) and the last one.
    public static var warnings: (count: Int, last: String) {
        var last: UnsafePointer<CChar>?
        let count = svgrt_mj_warning_count(&last)
        return (Int(count), last.map { String(cString: $0) } ?? "")
    }

    /// `.mujoco/libmujoco.so` beside this source file's checkout (Sources/Plants/MuJoCo/ → root).
    static var checkoutLibrary: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/.mujoco/libmujoco.so"
    }

    static func open() -> Result<String, PlantUnavailable> {
        guard svgrt_mj_header_version() != 0 else {
            return .failure(PlantUnavailable("svg-rt was built without MuJoCo's headers (run scripts/setup-mujoco, then rebuild)"))
        }
        let candidate: String
        if let path = getenv("SVGRT_MUJOCO_LIBRARY") {
            candidate = String(cString: path)
        } else if access(checkoutLibrary, R_OK) == 0 {
            candidate = checkoutLibrary
        } else {
            candidate = "libmujoco.so"
        }
        var error = [CChar](repeating: 0, count: 512)
        guard svgrt_mj_open(candidate, &error, error.count) == 0 else {
            let reason = error.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            return .failure(PlantUnavailable("\(reason) (run scripts/setup-mujoco, or set SVGRT_MUJOCO_LIBRARY)"))
        }
        return .success(String(cString: svgrt_mj_version_string()))
    }
}

/// Why a plant cannot be made here (its library is missing), in one line.
public struct PlantUnavailable: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
