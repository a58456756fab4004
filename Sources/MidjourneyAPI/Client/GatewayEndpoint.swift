/// The gateway routes mjarchive uses, each with its method and path below the mode prefix.
public enum GatewayEndpoint: Sendable, Equatable {
  case imagine, blend, describe, shorten, action, modal
  case fetch(id: String)
  /// The seed of a finished task's picture (the .NET proxy line; a Discord `/show` on the first ask).
  case imageSeed(id: String)
  case listByCondition, listByIds, list

  /// HTTP method.
  public var method: String {
    switch self {
    case .fetch, .imageSeed, .list: return "GET"
    default: return "POST"
    }
  }

  /// Path from `/mj` on; the id in `fetch` and `imageSeed` must already be validated.
  public var path: String {
    switch self {
    case .imagine: return "/mj/submit/imagine"
    case .blend: return "/mj/submit/blend"
    case .describe: return "/mj/submit/describe"
    case .shorten: return "/mj/submit/shorten"
    case .action: return "/mj/submit/action"
    case .modal: return "/mj/submit/modal"
    case .fetch(let id): return "/mj/task/\(id)/fetch"
    case .imageSeed(let id): return "/mj/task/\(id)/image-seed"
    case .listByCondition: return "/mj/task/list-by-condition"
    case .listByIds: return "/mj/task/list-by-ids"
    case .list: return "/mj/task/list"
    }
  }

  /// True for routes that create work on the gateway (and cost money), which are never blindly repeated.
  public var isSubmit: Bool {
    switch self {
    case .imagine, .blend, .describe, .shorten, .action, .modal: return true
    default: return false
    }
  }
}
