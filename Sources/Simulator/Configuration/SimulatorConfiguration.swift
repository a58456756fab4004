/// How the simulated gateway behaves.
public struct SimulatorConfiguration: Sendable {
  /// The key clients must send as `Authorization: Bearer …`; nil accepts any.
  public var apiKey: String?
  /// Seconds from submit to a finished task.
  public var taskSeconds: Double
  public var imageSize: SimulatedImageSize
  /// Default lineage trace; a submit's `state` of `lineage:<style>` overrides it per task.
  public var lineageStyle: LineageStyle
  /// Seconds an image link stays valid (its `ex`).
  public var linkLifetimeSeconds: Int
  /// Whether `list-by-condition` / `list-by-ids` / `list` exist (404 otherwise).
  public var offersListRoutes: Bool
  public var missingTaskAnswer: MissingTaskAnswer
  /// Most tasks `GET /mj/task/list` returns, newest first.
  public var recentListLimit: Int
  /// Words whose presence in a prompt gives code 24.
  public var bannedWords: [String]
  /// Running tasks from which a submit answers code 22 (queued).
  public var concurrencyLimit: Int
  /// Running tasks from which a submit answers code 23 (queue full).
  public var queueCapacity: Int
  /// Send the submit `result` as a JSON number, as the real sample does.
  public var numericResult: Bool
  public var faults: FaultPlan
  /// Seconds added to every answer, API and images alike, like a gateway far away.
  public var latencySeconds: Double = 0
  /// Whether `GET /mj/task/{id}/image-seed` exists, as on the .NET proxy line (404 otherwise, as on the Java one).
  public var offersImageSeedRoute = true
  /// Where every task's callbacks go when its submit named no `notifyHook` (the gateway's global setting).
  public var notifyHook: String?
  /// How the callbacks misbehave.
  public var hookFaults = HookFaultPlan.none
  /// Submitted grids cycle through this many pictures, each rendered once (nil: every task its own): for benchmarks
  /// of the archive's side, where a real gateway's pictures cost this machine nothing to make.
  public var distinctImages: Int?

  public init(
    apiKey: String? = nil, taskSeconds: Double = 3, imageSize: SimulatedImageSize = .square,
    lineageStyle: LineageStyle = .parentId, linkLifetimeSeconds: Int = 86_400, offersListRoutes: Bool = true,
    missingTaskAnswer: MissingTaskAnswer = .notFound, recentListLimit: Int = 100,
    bannedWords: [String] = ["banned", "forbidden"], concurrencyLimit: Int = 3, queueCapacity: Int = 50,
    numericResult: Bool = true, faults: FaultPlan = .none
  ) {
    self.apiKey = apiKey
    self.taskSeconds = max(0, taskSeconds)
    self.imageSize = imageSize
    self.lineageStyle = lineageStyle
    self.linkLifetimeSeconds = linkLifetimeSeconds
    self.offersListRoutes = offersListRoutes
    self.missingTaskAnswer = missingTaskAnswer
    self.recentListLimit = recentListLimit
    self.bannedWords = bannedWords
    self.concurrencyLimit = concurrencyLimit
    self.queueCapacity = queueCapacity
    self.numericResult = numericResult
    self.faults = faults
  }
}
