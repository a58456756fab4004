import ArchiveStore
import MidjourneyAPI

/// How a sync run behaves.
public struct SyncOptions: Sendable {
  /// Requests to the gateway's API (task fetches, lists) in flight at once.
  public var concurrency = 4
  /// Most API requests started per second (0: no cap).
  ///
  /// Retries inside the client come on top. Image downloads go to an image proxy or CDN and are not counted
  /// against it: they have `downloadConcurrency`.
  public var requestsPerSecond: Double = 10
  /// Image downloads in flight at once, beside the API requests.
  ///
  /// Each backs off on 429 and 503, honouring `Retry-After`. 8: past the 10× target over a sequential poller with half the connections of the knee, 16
  /// (bench/RESULTS.md), since the image proxy is often the user's own gateway.
  public var downloadConcurrency = 8
  /// Waits between attempts of an image download answered 429 or 503.
  public var downloadRetry = RetryPolicy(maximumAttempts: 4, baseDelay: .seconds(1), maximumDelay: .seconds(30))
  /// Fetch every task again, finished ones included.
  public var refresh = false
  /// Also read the gateway's task list, to pick up tasks made elsewhere.
  public var discover = false
  /// Which finished tasks' images are downloaded (tasks are always fetched).
  public var only = ImageSelection.all
  /// Split grids into quadrants (and make their thumbnails).
  public var split = true
  /// Splits grids into quadrants; false keeps them whole with thumbnails of the whole grid (`--no-quadrants`),
  /// and `export-files` makes the quadrants when asked.
  public var quadrants = true
  /// Longest edges of the thumbnails made for every quadrant and single image.
  public var thumbnailEdges = [256]
  /// A host (`host[:port]`) to fetch Discord CDN links from instead, such as the gateway's image proxy.
  public var imageHost: String?
  /// Largest image accepted.
  public var maximumImageBytes = 256 << 20
  /// Time allowed for one image download before the size allowance: its answer must begin within it, and the
  /// whole download must end within it plus a second per `minimumDownloadRate` bytes received.
  public var downloadTimeout: Duration = .seconds(30)
  /// The largest task list `discover` reads (1 GiB, about a million tasks); it is streamed to a scratch file and
  /// read record by record, never held in memory.
  public var maximumTaskListBytes = 1 << 30
  /// The slowest image download accepted, in bytes a second (16 KiB/s: an 8 MB grid may take 8.5 minutes).
  public var minimumDownloadRate = 16 << 10

  /// The bucket the archive keeps its images in (the local `images/` folder is then a bounded cache), or nil
  /// to keep them in the local folder only.
  public var bucket: BucketImageStore?

  /// With `discover`: only tasks submitted at or after this time (unix milliseconds) are taken from the list.
  public var discoverSince: Int64?

  /// Asks the gateway for the seed of each finished grid without one (`GET /mj/task/{id}/image-seed`).
  public var seeds = false
  /// Seed requests started per second: each first ask costs the gateway a Discord `/show`.
  public var seedsPerSecond = 0.5

  /// Only these tasks (a callback's hint, `listen`): those not stored finished are fetched, and only their images
  /// brought home; nil for a whole sync.
  public var taskIds: [String]?
  /// Other runs of this process may go on under the lock it holds (`listen`'s overlapping passes): runs still marked
  /// running may be theirs, so the run leaves them and their temporary files alone (the caller ends killed runs
  /// with `SyncEngine.endKilledRuns()` when it takes the lock).
  public var besideOwnRuns = false

  public init() {}
}
