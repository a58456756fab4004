extension String {
  /// The text of a URL fit to show in a message: a `user:password@` part becomes `***@` and a query becomes `?…`,
  /// so an error or a log line never carries a secret someone put into the URL.
  public var redactedURL: String {
    var text = self
    if let query = text.firstIndex(of: "?") { text = String(text[..<query]) + "?…" }
    if let scheme = text.range(of: "://") {
      let authorityEnd = text[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
      if let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@") {
        text.replaceSubrange(scheme.upperBound...at, with: "***@")
      }
    }
    return text
  }
}
