#!/usr/bin/env python3
"""Writes Fuzz/corpus/frame/*.bin: one valid frame of each message type, encoded by this
independent Python implementation of docs/protocol.md. LinkTests decode every file (a
cross-language check of the document), and the fuzzer starts from them.
Run from the repository root: python3 Fuzz/make_seed_corpus.py
"""
import os
import struct

POLY = 0x82F63B78
TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ POLY if c & 1 else c >> 1
    TABLE.append(c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def frame(msg_type, payload, flags=0, sequence=1, time_us=0):
    header = struct.pack("<HBBHIQH", 0x5653, 1, msg_type, flags, sequence, time_us, len(payload))
    body = header + payload
    return body + struct.pack("<I", crc32c(body))


HELLO, SENSE, ACT, RESET, FAULT, BYE, CONFIGURE = range(1, 8)
frames = {
    "hello-request": frame(HELLO, struct.pack("<BHH", 0, 3, 1)),
    "hello-reply": frame(HELLO, struct.pack("<BB", 1, 8) + b"pendulum" + struct.pack("<HHHIIIB", 3, 1, 2, 50000, 10000, 200, 1)
                         + struct.pack("<ff", -2.0, 2.0), sequence=1),
    "sense": frame(SENSE, struct.pack("<IfH", 0, 0.0, 3) + struct.pack("<fff", 0.5, 0.8660254, -0.25), flags=8, sequence=2, time_us=0),
    "act": frame(ACT, struct.pack("<IH", 2, 1) + struct.pack("<f", 1.5), sequence=2),
    "reset-seeded": frame(RESET, struct.pack("<BQ", 0, 42), sequence=3),
    "reset-explicit": frame(RESET, struct.pack("<BH", 1, 2) + struct.pack("<dd", 3.14159, 0.0), sequence=4),
    "fault": frame(FAULT, struct.pack("<HI", 1, 11), sequence=5),
    "bye": frame(BYE, b"", sequence=6),
    "configure": frame(CONFIGURE, struct.pack("<Bd", 2, 0.6), sequence=7),
}

if __name__ == "__main__":
    out = os.path.join("Fuzz", "corpus", "frame")
    os.makedirs(out, exist_ok=True)
    for name, data in frames.items():
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)
    # The worked example of docs/protocol.md.
    print(" ".join(f"{b:02x}" for b in frames["act"]))
