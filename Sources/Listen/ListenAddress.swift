import ArchiveStore
import Foundation

/// The address the gateway reaches `listen` at, remembered by the archive (without the token) so submit commands
/// can pass the callback URL on their own.
public enum ListenAddress {
  /// The settings row that holds it.
  public static let settingName = "listen.url"

  /// A base URL (`http://host:port`) as `listen --public-url` takes it, without a trailing slash; nil unless it is
  /// http or https with a host and no path, query, user, space or control character.
  public static func checkedBase(_ text: String) -> String? {
    guard text.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7F }),
      let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = url.host, !host.isEmpty, url.user == nil, url.query == nil, url.fragment == nil,
      url.path.isEmpty || url.path == "/"
    else { return nil }
    return text.hasSuffix("/") ? String(text.dropLast()) : text
  }

  /// Remembers where `listen` is reached.
  public static func remember(_ base: String, in store: ArchiveStore) throws(StoreError) {
    try store.replaceSettings(prefix: settingName, with: [settingName: base])
  }

  /// The callback URL for this archive's `listen` (base, `/hook/`, token), or nil when `listen` never ran here.
  public static func callbackURL(for store: ArchiveStore) -> String? {
    guard let base = try? store.settings(prefix: settingName)[settingName],
      let token = try? HookToken.kept(in: store.directory)
    else { return nil }
    return base + token.path
  }
}
