import Foundation
import SafeFiles

/// The secret part of the callback address (`/hook/<token>`), made once and kept in the archive; never logged.
///
/// Gateways sign nothing, so only a caller who was given the address is heard.
public struct HookToken: Sendable, CustomStringConvertible {
  /// The token's text: 43 characters of URL-safe base64 (32 random bytes).
  public let value: String

  /// The file in the archive folder that keeps it (0600).
  public static let fileName = "listen.token"
  /// Fewest characters a token given in a file may have.
  static let minimumLength = 24

  /// Redacted, so a token never lands in a log or an error by accident.
  public var description: String { "(hook token)" }

  /// The path the gateway posts to.
  public var path: String { "/hook/" + value }

  /// A token checked for length and characters.
  ///
  /// - Throws: `ListenError.token` when it is shorter than 24 characters or holds anything but `A–Z a–z 0–9 - _`.
  public init(_ value: String, source: String) throws(ListenError) {
    guard value.utf8.count >= Self.minimumLength, value.utf8.count <= 256,
      value.utf8.allSatisfy({ Self.isTokenByte($0) })
    else {
      throw .token(
        "the hook token in \(source) must be 24 to 256 characters of A-Z, a-z, 0-9, - and _: make one with "
          + "`head -c 32 /dev/urandom | base64 | tr +/ -_ | tr -d =`")
    }
    self.value = value
  }

  /// The archive's token, made (32 random bytes) and kept in `listen.token` the first time.
  ///
  /// - Throws: `ListenError.token` when the file cannot be read or written, or holds a bad token.
  public static func archiveToken(in directory: URL) throws(ListenError) -> HookToken {
    if let kept = try kept(in: directory) { return kept }
    do {
      let folder = try OwnedFolder(directory, create: false)
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let text = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
      try folder.write(Data((text + "\n").utf8), to: fileName, mode: 0o600)
      return try HookToken(text, source: folder.path(fileName))
    } catch let error as ListenError {
      throw error
    } catch {
      throw .token("cannot keep the hook token in \(directory.path): \(error)")
    }
  }

  /// The archive's token when `listen` has made one, read without following a link planted in its place.
  ///
  /// - Throws: `ListenError.token` when the file cannot be read or holds a bad token.
  public static func kept(in directory: URL) throws(ListenError) -> HookToken? {
    let path = directory.appendingPathComponent(fileName).path
    let data: Data?
    do {
      data = try OwnedFolder(directory, create: false).contents(fileName)
    } catch {
      throw .token("cannot read the hook token \(path): \(error.description)")
    }
    guard let data else { return nil }
    return try HookToken(
      String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), source: path)
  }

  /// The token in `path` (`listen --token-file`): its first line.
  ///
  /// - Throws: `ListenError.token` when the file cannot be read or holds a bad token.
  public static func read(file path: String) throws(ListenError) -> HookToken {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .token("cannot read the hook token file \(path)")
    }
    let line = String(decoding: data.prefix(1024), as: UTF8.self).split(whereSeparator: \.isNewline).first ?? ""
    return try HookToken(line.trimmingCharacters(in: .whitespaces), source: path)
  }

  /// Whether `candidate` is the token, compared in time that depends only on the lengths, so timing tells a
  /// stranger nothing about how much of a guess was right.
  public func matches(_ candidate: some Collection<UInt8>) -> Bool {
    let expected = Array(value.utf8)
    var difference: UInt8 = expected.count == candidate.count ? 0 : 1
    var index = 0
    for byte in candidate {
      difference |= byte ^ expected[index % expected.count]
      index += 1
    }
    return difference == 0
  }

  private static func isTokenByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
  }
}
