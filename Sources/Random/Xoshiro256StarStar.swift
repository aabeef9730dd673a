/// xoshiro256** (Blackman & Vigna, 2018), seeded through SplitMix64, with uniform and Gaussian
/// draws. Deterministic and portable: integer arithmetic, and for the Gaussians only IEEE-754
/// +, −, ×, ÷ and √ (correctly rounded everywhere, never contracted into FMA by Swift), with the
/// logarithm computed here rather than by libm, so a seed gives the same sequence, bit for bit,
/// on x86_64 and aarch64. `Tests/NetTests/Fixtures/xoshiro_reference.py` is the reference
/// (tested in `NetTests.RandomTests`).
///
/// Real-time safe: a value type of 40 bytes; no draw allocates or locks.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// The second value of the last polar-method pair, used by the next `nextGaussian()`.
    @usableFromInline var spareGaussian: Double?

    /// A generator whose state is four SplitMix64 outputs from `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        spareGaussian = nil
    }

    /// The complete state as six words (four state words, a flag and the bits of the spare
    /// Gaussian), for checkpoints: `init(words:)` continues the exact sequence.
    public var words: [UInt64] {
        [s0, s1, s2, s3, spareGaussian == nil ? 0 : 1, spareGaussian?.bitPattern ?? 0]
    }

    /// A generator continuing from `words`.
    public init?(words: [UInt64]) {
        guard words.count == 6, words[0] | words[1] | words[2] | words[3] != 0 else { return nil }
        s0 = words[0]; s1 = words[1]; s2 = words[2]; s3 = words[3]
        spareGaussian = words[4] == 0 ? nil : Double(bitPattern: words[5])
    }

    /// The next 64 random bits.
    @inlinable public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    @inlinable @inline(__always)
    func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [lower, upper) as Float.
    @inlinable public mutating func nextUniform(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * Float(nextUniform())
    }

    /// A standard normal draw by Marsaglia's polar method (expected 1.27 pairs of uniforms per
    /// two normals; the second normal of each pair is kept for the next call).
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        while true {
            let u = 2 * nextUniform() - 1
            let v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s >= 1 || s == 0 { continue }
            let factor = (-2 * PortableLog.naturalLog(s) / s).squareRoot()
            spareGaussian = v * factor
            return u * factor
        }
    }

    /// Fills `count` floats at `values` with independent N(0, 1) draws. Real-time safe.
    public mutating func fillGaussian(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { values[i] = Float(nextGaussian()) }
    }
}

/// ln(x) for finite positive normal Doubles from +, −, ×, ÷ only, so every IEEE machine returns
/// the same bits. x = m·2^e with m in [√½, √2); ln m = 2·atanh(f), f = (m − 1)/(m + 1), |f| ≤ 0.1716,
/// by its odd series to f²¹ (truncation below 2e-17 relative). Measured against libm's `log` on
/// (0, 1): within 2 ulp.
public enum PortableLog {
    public static func naturalLog(_ x: Double) -> Double {
        precondition(x > 0 && x.isNormal, "naturalLog needs a positive normal number, got \(x)")
        var exponent = Int(x.exponent)
        var mantissa = x.significand  // in [1, 2)
        if mantissa > 1.4142135623730951 {
            mantissa = mantissa / 2
            exponent += 1
        }
        let f = (mantissa - 1) / (mantissa + 1)
        let f2 = f * f
        // 2·(f + f³/3 + f⁵/5 + … + f²¹/21), Horner in f².
        var series = 1.0 / 21
        series = series * f2 + 1.0 / 19
        series = series * f2 + 1.0 / 17
        series = series * f2 + 1.0 / 15
        series = series * f2 + 1.0 / 13
        series = series * f2 + 1.0 / 11
        series = series * f2 + 1.0 / 9
        series = series * f2 + 1.0 / 7
        series = series * f2 + 1.0 / 5
        series = series * f2 + 1.0 / 3
        series = series * f2 + 1
        let ln2 = 0.6931471805599453
        return 2 * f * series + Double(exponent) * ln2
    }
}
