/// svg-rt's release and how this binary was built: shared by every program that speaks the wire
/// protocol (`svgrt --version`, `firmware-sim --version`), so the two always name the same release.
public enum Release {
    /// svg-rt's release number.
    public static let number = "0.15.0"

    /// The CPU architecture of this binary.
    public static var architecture: String {
        #if arch(x86_64)
        return "x86_64"
        #elseif arch(arm64)
        return "aarch64"
        #else
        return "other"
        #endif
    }

    /// "release" or "debug" (allocation-freedom holds only in release).
    public static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }
}
