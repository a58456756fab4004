import ArchiveStore
import ArgumentParser
import Sync

/// Commands that read the image files themselves cannot yet follow them into a bucket: they say so, rather than
/// report every file the local cache let go as missing.
enum BucketArchiveCheck {
  /// Exits 2 with one line when the archive keeps its images in a bucket.
  static func refuse(_ store: ArchiveStore, command: String) throws {
    guard let settings = try? BucketSettings.remembered(in: store) else { return }
    Console.err(
      "mjarchive: this archive keeps its images in \(settings.location), its images/ folder only a cache; \(command) "
        + "of such an archive is not built yet")
    throw ExitCode(2)
  }
}
