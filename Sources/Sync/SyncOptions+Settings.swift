import ArchiveStore

extension SyncOptions {
  /// Takes the choices the archive remembers (what to download, quadrants, seeds, how far back the list is read),
  /// so every run on it, from cron or `listen`, does the same.
  public mutating func adoptSettings(of store: ArchiveStore) throws(StoreError) {
    discoverSince = try store.discoverSince()
    only = try store.imageSelection()
    quadrants = try store.makesQuadrants()
    seeds = try store.asksForSeeds()
  }
}
