/// Which answers a scripted fault may hit.
public enum FaultRoute: Sendable, Equatable {
  case any, submit, fetch, list, image

  func matches(_ route: FaultRoute) -> Bool {
    self == .any ? route != .image : self == route
  }
}
