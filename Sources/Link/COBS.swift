/// Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): frames on a serial line are COBS
/// encoded and end with one 0x00 byte, so a receiver resynchronises at the next zero after any
/// garbage. Real-time safe: both directions work in caller buffers.
public enum COBS {
    /// Largest encoding of `count` bytes, delimiter excluded.
    public static func maximumEncodedSize(_ count: Int) -> Int { count + count / 254 + 1 }

    /// Encodes `input` into `output` (no trailing delimiter); returns the encoded length.
    @_noAllocation @_noLocks
    public static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        precondition(output.count >= maximumEncodedSize(input.count), "COBS.encode: output too small")
        var codeIndex = 0, write = 1
        var code: UInt8 = 1
        for byte in input {
            if byte == 0 {
                output[codeIndex] = code
                codeIndex = write
                write += 1
                code = 1
            } else {
                output[write] = byte
                write += 1
                code += 1
                if code == 0xFF {
                    output[codeIndex] = code
                    codeIndex = write
                    write += 1
                    code = 1
                }
            }
        }
        output[codeIndex] = code
        return write
    }

    /// Decodes one COBS block (delimiter removed) into `output`; nil if it is malformed.
    @_noAllocation @_noLocks
    public static func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var read = 0, write = 0
        while read < input.count {
            let code = Int(input[read])
            if code == 0 || read + code > input.count { return nil }
            read += 1
            for _ in 1..<code {
                guard write < output.count else { return nil }
                output[write] = input[read]
                write += 1
                read += 1
            }
            if code < 0xFF && read < input.count {
                guard write < output.count else { return nil }
                output[write] = 0
                write += 1
            }
        }
        return write
    }
}
