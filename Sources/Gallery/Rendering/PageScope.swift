/// The values a built-in page is rendered from, looked up as Mustache does: in the innermost section's value first,
/// then outwards, so `BuiltInPageRenderer` writes what the templates would.
///
/// Only the shapes `PageBuilder` makes are read (strings, booleans, string lists and dictionaries), by concrete
/// casts: swift-mustache's lookups ask each value for its protocols, half of a first export's time.
struct PageScope {
  private var frames: [[String: Any]]

  init(_ context: [String: Any]) {
    frames = [context]
  }

  /// The scope inside a section over `frame`.
  func entering(_ frame: [String: Any]) -> PageScope {
    var scope = self
    scope.frames.append(frame)
    return scope
  }

  /// The innermost value named `key`.
  func value(_ key: String) -> Any? {
    for frame in frames.reversed() {
      if let value = frame[key] { return value }
    }
    return nil
  }

  /// `{{key}}`: the value as text, HTML-escaped; nothing when there is none.
  func text(_ key: String) -> String {
    guard let value = value(key) else { return "" }
    return GalleryHTMLEscaping().escapeText(value as? String ?? String(describing: value))
  }

  /// `{{{key}}}`: the value as text, as it is.
  func raw(_ key: String) -> String {
    guard let value = value(key) else { return "" }
    return value as? String ?? String(describing: value)
  }

  /// Whether `{{#key}}` renders: true, a non-empty list, or any other value present.
  func isSet(_ key: String) -> Bool {
    switch value(key) {
    case let flag as Bool: flag
    case let list as [Any]: !list.isEmpty
    case .some: true
    case .none: false
    }
  }

  /// The scopes `{{#key}}…{{/key}}` renders its body in: one per dictionary of a list, one for a dictionary, this
  /// scope for `true`, none otherwise.
  func sections(_ key: String) -> [PageScope] {
    switch value(key) {
    case let list as [[String: Any]]: list.map(entering)
    case let list as [[String: String]]: list.map { entering($0) }
    case let frame as [String: Any]: [entering(frame)]
    case let frame as [String: String]: [entering(frame)]
    case let flag as Bool: flag ? [self] : []
    case .some: isSet(key) ? [self] : []
    case .none: []
    }
  }

  /// `{{#key}}<li>{{.}}</li>{{/key}}` over a list of strings, each escaped.
  func strings(_ key: String) -> [String] {
    (value(key) as? [String] ?? []).map(GalleryHTMLEscaping().escapeText)
  }
}
