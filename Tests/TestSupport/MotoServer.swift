import Foundation

/// moto's S3 server on loopback, with IAM authentication on, one per test process.
///
/// An access key is made for the tests, and every request after that setup is checked for a valid signature (moto
/// recomputes it with botocore).
///
/// moto (with its server) is on PyPI; the machine's Python has it, and `.ci/run` installs it where missing.
public final class MotoServer: Sendable {
  /// `http://127.0.0.1:PORT`.
  public let endpoint: String
  public let accessKeyID: String
  public let secretAccessKey: String

  /// The server of this test process, started by the first caller (and waited for off the cooperative threads).
  public static func shared() async throws -> MotoServer { try await withoutBlockingThePool { try started.get() } }

  private static let started = Result { try MotoServer() }

  /// The unsigned requests the setup makes (user, policy, key) before moto checks every signature.
  private static let setupRequests = 3

  private init() throws {
    let folder = try LoopbackServerProcess.folder("moto")
    let port = try LoopbackPort.free()
    endpoint = "http://127.0.0.1:\(port)"
    try LoopbackServerProcess.start(
      "moto_server -H 127.0.0.1 -p \(port)", in: folder, port: port,
      environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "\(Self.setupRequests)"])
    let setup = """
      import boto3, json, sys
      iam = boto3.client("iam", endpoint_url=sys.argv[1], aws_access_key_id="setup", aws_secret_access_key="setup",
                         region_name="us-east-1")
      iam.create_user(UserName="mjarchive")
      policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
      iam.put_user_policy(UserName="mjarchive", PolicyName="tests", PolicyDocument=json.dumps(policy))
      key = iam.create_access_key(UserName="mjarchive")["AccessKey"]
      print(key["AccessKeyId"], key["SecretAccessKey"])
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", setup, endpoint]
    let outcome = try ProcessOutcome.run(process, input: nil)
    let fields = outcome.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
    guard outcome.status == 0, fields.count == 2 else {
      throw LoopbackServerProcess.StartFailure(description: "moto's IAM setup failed: \(outcome.stderr.suffix(2000))")
    }
    accessKeyID = fields[0]
    secretAccessKey = fields[1]
  }
}
