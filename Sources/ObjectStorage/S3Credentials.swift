import Foundation

/// An access key pair (and a session token for temporary credentials); never printed, logged or stored.
public struct S3Credentials: Sendable, CustomStringConvertible {
  public var accessKeyID: String
  public var secretAccessKey: String
  public var sessionToken: String?

  public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
  }

  /// Says which key without giving it away: its first four characters only.
  public var description: String { "S3 access key \(accessKeyID.prefix(4))…" }

  /// The credentials in `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, if both keys are set.
  public static func fromEnvironment(_ environment: [String: String]) -> S3Credentials? {
    guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
      let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
    else { return nil }
    let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
  }

  /// Reads a credentials file: the AWS CLI's (`aws_access_key_id = …` under `[default]`, or else under its first
  /// profile) or environment-style lines (`AWS_ACCESS_KEY_ID=…`).
  ///
  /// - Throws: `S3Error.invalidCredentials` naming the missing field (never a value).
  public static func parse(_ text: String) throws(S3Error) -> S3Credentials {
    var profiles: [(name: String, fields: [String: String])] = [("", [:])]
    for rawLine in text.split(whereSeparator: \.isNewline) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("["), line.hasSuffix("]") {
        profiles.append((String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces), [:]))
        continue
      }
      guard let equals = line.firstIndex(of: "=") else { continue }
      var name = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      if name.hasPrefix("export ") { name = String(name.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
      var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
        value = String(value.dropFirst().dropLast())
      }
      profiles[profiles.count - 1].fields[name] = value
    }
    let named = profiles.filter { !$0.fields.isEmpty }
    guard let fields = (named.first { $0.name == "default" } ?? named.first)?.fields else {
      throw .invalidCredentials("it holds no aws_access_key_id and aws_secret_access_key")
    }
    guard let id = fields["aws_access_key_id"], !id.isEmpty else {
      throw .invalidCredentials("it has no aws_access_key_id")
    }
    guard let secret = fields["aws_secret_access_key"], !secret.isEmpty else {
      throw .invalidCredentials("it has no aws_secret_access_key")
    }
    let token = fields["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
    return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
  }
}
