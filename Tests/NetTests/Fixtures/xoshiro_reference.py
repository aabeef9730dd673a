#!/usr/bin/env python3
"""Reference for Net.Xoshiro256StarStar: writes xoshiro_reference.csv.

An independent implementation of xoshiro256** seeded by SplitMix64, the 53-bit uniform, and the
Marsaglia polar Gaussian with the portable logarithm svg-rt uses. Python floats are IEEE-754
doubles and math.sqrt is correctly rounded, so the expected values are exact bits.
Run: python3 xoshiro_reference.py > xoshiro_reference.csv
"""
import math

MASK = (1 << 64) - 1


def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro:
    def __init__(self, seed):
        x = seed
        self.s = []
        for _ in range(4):
            x, z = splitmix(x)
            self.s.append(z)
        self.spare = None

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        return float(self.next() >> 11) * 2.0 ** -53

    def gaussian(self):
        if self.spare is not None:
            spare, self.spare = self.spare, None
            return spare
        while True:
            u = 2 * self.uniform() - 1
            v = 2 * self.uniform() - 1
            s = u * u + v * v
            if s >= 1 or s == 0:
                continue
            factor = math.sqrt(-2 * portable_log(s) / s)
            self.spare = v * factor
            return u * factor


def portable_log(x):
    m, e = math.frexp(x)  # x = m * 2**e, m in [0.5, 1)
    mantissa, exponent = 2 * m, e - 1  # Swift's significand in [1, 2) and exponent
    if mantissa > 1.4142135623730951:
        mantissa = mantissa / 2
        exponent += 1
    f = (mantissa - 1) / (mantissa + 1)
    f2 = f * f
    series = 1.0 / 21
    for d in (19, 17, 15, 13, 11, 9, 7, 5, 3):
        series = series * f2 + 1.0 / d
    series = series * f2 + 1
    return 2 * f * series + float(exponent) * 0.6931471805599453


if __name__ == "__main__":
    print("seed,index,kind,value")
    for seed in (0, 42, 2**63 + 5):
        g = Xoshiro(seed)
        for i in range(16):
            print(f"{seed},{i},u64,{g.next()}")
        g = Xoshiro(seed)
        for i in range(64):
            print(f"{seed},{i},gaussian_bits,{int.from_bytes(__import__('struct').pack('<d', g.gaussian()), 'little')}")
