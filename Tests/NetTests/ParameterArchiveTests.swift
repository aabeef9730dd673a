import Foundation
import XCTest
import Checksum
import Net

final class ParameterArchiveTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "svgrt-archive-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func randomNetwork(_ sizes: [Int], seed: UInt64) -> MLP {
        var rng = Xoshiro256StarStar(seed: seed)
        let net = MLP(layerSizes: sizes, maxBatch: 1)
        net.initializeParameters(using: &rng)
        return net
    }

    func testRoundTripIsBitExactAndLeavesNoTemporaryFile() throws {
        let net = randomNetwork([8, 100, 100, 2], seed: 1)
        let path = directory + "/policy.svgp"
        try net.writeParameters(to: path)
        let loaded = MLP(layerSizes: [8, 100, 100, 2], maxBatch: 1)
        try loaded.readParameters(from: path)
        for i in 0..<net.parameters.count {
            XCTAssertEqual(loaded.parameters[i].bitPattern, net.parameters[i].bitPattern)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["policy.svgp"])
        // Overwriting replaces the file whole.
        let other = randomNetwork([8, 100, 100, 2], seed: 2)
        try other.writeParameters(to: path)
        try loaded.readParameters(from: path)
        XCTAssertEqual(loaded.parameters[5].bitPattern, other.parameters[5].bitPattern)
    }

    func testSeveralRecordsRoundTrip() throws {
        let archive = ParameterArchive(records: [
            .init(name: "policy", shape: [3, 4], values: [1, -2, .pi, 0]),
            .init(name: "log σ", shape: [1], values: [-0.5]),
            .init(name: "empty", shape: [], values: []),
        ])
        XCTAssertEqual(try ParameterArchive.decode(archive.encoded()), archive)
    }

    func testWrongShapeNamesBothShapes() throws {
        let path = directory + "/value.svgp"
        try randomNetwork([3, 20, 20, 1], seed: 3).writeParameters(to: path)
        let wrong = MLP(layerSizes: [4, 20, 20, 1], maxBatch: 1)
        XCTAssertThrowsError(try wrong.readParameters(from: path)) { error in
            XCTAssertEqual(error as? ParameterArchiveError,
                           .shapeMismatch(path: path, record: "network", expected: [4, 20, 20, 1], found: [3, 20, 20, 1]))
            XCTAssertTrue("\(error)".contains("[3, 20, 20, 1]") && "\(error)".contains("[4, 20, 20, 1]"))
        }
    }

    func testTruncatedFileIsReportedAsTruncated() throws {
        let bytes = randomNetwork([3, 20, 20, 1], seed: 4).parameterRecord(named: "network")
        let encoded = ParameterArchive(records: [bytes]).encoded()
        for length in [0, 5, 20, 100, encoded.count / 2, encoded.count - 1] {
            XCTAssertThrowsError(try ParameterArchive.decode(Array(encoded.prefix(length)), path: "cut.svgp")) { error in
                guard case .truncated = error as? ParameterArchiveError else {
                    return XCTFail("length \(length): expected truncated, got \(error)")
                }
                XCTAssertTrue("\(error)".contains("truncated"))
            }
        }
    }

    func testEveryFlippedByteIsRejected() throws {
        let encoded = ParameterArchive(records: [randomNetwork([2, 3, 1], seed: 5).parameterRecord(named: "network")]).encoded()
        for index in 0..<encoded.count {
            var corrupted = encoded
            corrupted[index] ^= 0x10
            XCTAssertThrowsError(try ParameterArchive.decode(corrupted), "byte \(index) flipped was accepted")
        }
        // A flipped byte in the values is named a checksum mismatch.
        var corrupted = encoded
        corrupted[encoded.count - 10] ^= 0x01
        XCTAssertThrowsError(try ParameterArchive.decode(corrupted, path: "flip.svgp")) { error in
            guard case .checksumMismatch = error as? ParameterArchiveError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("corrupted"))
        }
    }

    func testBadMagicVersionAndMissingFile() throws {
        var encoded = ParameterArchive(records: []).encoded()
        encoded[0] = UInt8(ascii: "X")
        XCTAssertThrowsError(try ParameterArchive.decode(encoded)) { error in
            XCTAssertEqual(error as? ParameterArchiveError, .badMagic(path: "<memory>"))
        }
        encoded = ParameterArchive(records: []).encoded()
        encoded[8] = 9
        XCTAssertThrowsError(try ParameterArchive.decode(encoded)) { error in
            XCTAssertEqual(error as? ParameterArchiveError, .unsupportedVersion(path: "<memory>", found: 9, supported: 1))
        }
        XCTAssertThrowsError(try ParameterArchive.read(from: directory + "/none.svgp")) { error in
            XCTAssertTrue("\(error)".contains("No such file"), "\(error)")
        }
    }

    func testCRC32CCheckValue() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
        // Incremental update equals one pass.
        let bytes = Array("stochastic value gradients".utf8)
        let split = bytes.withUnsafeBytes { raw in
            CRC32C.update(CRC32C.update(0, raw.baseAddress!, count: 10), raw.baseAddress! + 10, count: bytes.count - 10)
        }
        XCTAssertEqual(split, CRC32C.checksum(bytes))
    }
}
