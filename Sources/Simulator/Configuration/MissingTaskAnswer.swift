/// How the simulator answers a fetch of an unknown task, as real gateways variously do.
public enum MissingTaskAnswer: String, Sendable, CaseIterable {
  /// HTTP 404.
  case notFound = "404"
  /// HTTP 200 with an empty body.
  case emptyBody = "empty"
  /// HTTP 204 No Content.
  case noContent = "204"
}
