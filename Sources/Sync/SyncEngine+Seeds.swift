import ArchiveStore
import MidjourneyAPI

extension SyncEngine {
  /// Asks the gateway for the seed of each finished grid without one, newest first, at `options.seedsPerSecond`
  /// (a first ask costs the gateway a Discord `/show`).
  ///
  /// A gateway without the route is remembered and not asked again; a lookup the gateway says failed (no private
  /// channel configured, say) ends the asking for this run, and the next run asks again. Cancelling keeps the seeds
  /// recorded so far.
  func fetchSeeds(_ tally: SyncTally, progress: @escaping @Sendable (SyncProgress) -> Void) async {
    let absent = ArchiveStore.seedRouteAbsentSetting
    let ids: [String]
    do {
      guard try store.settings(prefix: absent).isEmpty else { return }
      ids = try store.gridsWithoutSeed()
    } catch {
      tally.stop(.store(error))
      return
    }
    let pacer = RequestPacer(perSecond: options.seedsPerSecond)
    tally.resetSteps()
    for id in ids {
      guard !Task.isCancelled, tally.fatal == nil else { return }
      await pacer.admit()
      tally.countRequest()
      do {
        switch try await client.imageSeed(id: id) {
        case .seed(let seed):
          try store.recordSeed(seed, taskId: id)
          tally.update { $0.seedsRecorded += 1 }
        case .noMessageHash, .unknownTask:
          // Asking again would get the same answer.
          try store.recordSeed(nil, taskId: id)
        case .unsupported:
          try store.replaceSettings(prefix: absent, with: [absent: "the route answered 404"])
          logger.info("the gateway has no image-seed route; not asked again")
          return
        case .lookupFailed(let reason):
          tally.fail(id, "the gateway could not look up the seed (\(reason)); the next run asks again")
          return
        }
      } catch {
        tally.absorb(error, taskId: id)
      }
      progress(tally.step(.seeds, total: ids.count))
    }
  }
}
