import Link
import Net
import Plants

/// What `svgrt --version` prints: svg-rt's release, the machine it was built for, how it was
/// built, the wire protocol and checkpoint formats it speaks, and the MuJoCo library it found.
enum BuildInfo {
    /// One line: `svgrt 0.15.0 (x86_64, release; wire protocol 1, checkpoint format 1; MuJoCo 4.0.0)`.
    static var line: String {
        "svgrt \(Release.number) (\(Release.architecture), \(Release.configuration); wire protocol \(Frame.version), checkpoint format \(ParameterArchive.version); \(MuJoCoLibrary.summary))"
    }
}
