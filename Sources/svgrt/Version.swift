import Link
import Net
import Plants

/// What `svgrt --version` prints: svg-rt's release, the machine it was built for, how it was
/// built, the wire protocol and checkpoint formats it speaks, and the MuJoCo library it found.
enum BuildInfo {
    /// svg-rt's release number.
    static let release = "0.15.0"

    /// The CPU architecture of this binary.
    static var architecture: String {
        #if arch(x86_64)
        return "x86_64"
        #elseif arch(arm64)
        return "aarch64"
        #else
        return "other"
        #endif
    }

    /// "release" or "debug" (allocation-freedom holds only in release).
    static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    /// MuJoCo's loaded version, or that none was found (the MuJoCo plants are then unavailable).
    static var mujoco: String {
        switch MuJoCoLibrary.status {
        case .success(let version): return "MuJoCo \(version)"
        case .failure: return "no MuJoCo"
        }
    }

    /// One line: `svgrt 0.15.0 (x86_64, release; wire protocol 1, checkpoint format 1; MuJoCo 4.0.0)`.
    static var line: String {
        "svgrt \(release) (\(architecture), \(configuration); wire protocol \(Frame.version), checkpoint format \(ParameterArchive.version); \(mujoco))"
    }
}
