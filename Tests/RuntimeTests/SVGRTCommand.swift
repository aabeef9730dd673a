import FirmwareLauncher
import Foundation

/// Runs `program` (default svgrt) built next to the tests with `arguments` to completion; returns its exit
/// status and its standard output and error together.
func svgrt(_ arguments: [String], program: String = "svgrt") throws -> (status: Int32, output: String) {
    let process = svgrtProcess(arguments, program: program)
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}

/// `program` (default svgrt) built next to the tests with `arguments`, not yet started: for a
/// test that runs it in the background, then stops or inspects it.
func svgrtProcess(_ arguments: [String], program: String = "svgrt") -> Process {
    let process = Process()
    process.executableURL = FirmwareProcess.executable.deletingLastPathComponent().appendingPathComponent(program)
    process.arguments = arguments
    return process
}
