import Crypto
import Foundation
import ObjectStorage
import Testing

/// The signer against AWS's published test vectors (Fixtures/aws-sig-v4-test-suite).
struct SigV4SignerTests {
  static let suite = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/aws-sig-v4-test-suite")

  static let cases: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? []
    return names.filter { !$0.hasSuffix(".md") }.sorted()
  }()

  @Test func everyVectorOfTheSuiteIsHere() {
    #expect(Self.cases.count == 31)
  }

  @Test(arguments: cases) func signsAsTheVectorSays(_ name: String) throws {
    let folder = Self.suite.appendingPathComponent(name)
    func text(_ file: String) throws -> String {
      try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }
    let request = try RawRequest(try text("request.txt"))
    let context = try JSONDecoder().decode(SigningContext.self, from: Data(try text("context.json").utf8))
    let signer = SigV4Signer(
      credentials: S3Credentials(
        accessKeyID: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
        sessionToken: context.credentials.token),
      region: context.region, service: context.service)
    let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))
    let signature = signer.sign(
      method: request.method, path: request.path, query: request.query, headers: request.headers,
      payloadSHA256: SHA256.hash(data: Data(request.body.utf8)).map { String(format: "%02x", $0) }.joined(),
      sendsPayloadHash: context.sign_body, date: date)

    #expect(signature.canonicalRequest == (try text("header-canonical-request.txt")))
    #expect(signature.stringToSign == (try text("header-string-to-sign.txt")))
    #expect(signature.signature == (try text("header-signature.txt")))
    let authorization = try #require(signature.headers.last)
    #expect(authorization.name == "Authorization")
    #expect(authorization.value.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"))
    #expect(authorization.value.hasSuffix("Signature=\(signature.signature)"))
  }

  @Test func pathsAndQueriesAreEncodedOnceWithSlashesKept() {
    #expect(SigV4Signer.encodedPath("/b/originals/ab/x y+ሴ.png") == "/b/originals/ab/x%20y%2B%E1%88%B4.png")
    #expect(SigV4Signer.encodedPath("") == "/")
    #expect(
      SigV4Signer.canonicalQuery([("prefix", "a/b"), ("list-type", "2"), ("a", "2"), ("a", "1")])
        == "a=1&a=2&list-type=2&prefix=a%2Fb")
  }

  /// `context.json` of one case.
  struct SigningContext: Decodable {
    struct Credentials: Decodable {
      var access_key_id: String
      var secret_access_key: String
      var token: String?
    }
    var credentials: Credentials
    var region: String
    var service: String
    var sign_body: Bool
    var timestamp: String
  }

  /// `request.txt` of one case: a raw HTTP/1.1 request, header lines folded onto the one before when indented.
  struct RawRequest {
    var method: String
    var path: String
    var query: [(name: String, value: String)]
    var headers: [(name: String, value: String)] = []
    var body: String

    init(_ text: String) throws {
      let (head, body) =
        text.range(of: "\n\n").map { (String(text[..<$0.lowerBound]), String(text[$0.upperBound...])) }
        ?? (text, "")
      var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let requestLine = lines.removeFirst()
      let firstSpace = try #require(requestLine.firstIndex(of: " "))
      let lastSpace = try #require(requestLine.lastIndex(of: " "))
      method = String(requestLine[..<firstSpace])
      let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
      let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      path = parts[0].removingPercentEncoding ?? parts[0]
      query = (parts.count > 1 ? parts[1] : "").split(separator: "&").map { pair in
        let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
          String($0).removingPercentEncoding ?? String($0)
        }
        return (nameAndValue[0], nameAndValue.count > 1 ? nameAndValue[1] : "")
      }
      for line in lines where !line.isEmpty {
        if line.first == " " || line.first == "\t", !headers.isEmpty {
          headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
        } else if let colon = line.firstIndex(of: ":") {
          headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
      }
      self.body = body
    }
  }
}
