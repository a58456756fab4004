import ArchiveStore
import Foundation
import ObjectStorage
import Testing

@testable import Sync

struct BucketSettingsTests {
  @Test func theArchiveRemembersWhereItsImagesLiveAndNothingElse() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-settings-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArchiveStore(directory: folder)
    #expect(try BucketSettings.remembered(in: store) == nil)

    let settings = BucketSettings(
      location: try S3Location("s3://mj-archive/me"),
      endpoint: try S3Endpoint(url: "https://acct.r2.cloudflarestorage.com", region: "auto", pathStyle: true),
      cacheBytes: 500 << 20)
    try settings.remember(in: store)
    #expect(try BucketSettings.remembered(in: store) == settings)
    #expect(try store.settings(prefix: "images.").count == 5)

    var moved = settings
    moved.cacheBytes = 0
    try moved.remember(in: store)
    #expect(try BucketSettings.remembered(in: store)?.cacheBytes == 0)
    #expect(try store.settings(prefix: "images.").count == 5)
  }

  @Test func aRememberedValueEditedIntoNonsenseIsAnErrorNotAGuess() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-settings-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArchiveStore(directory: folder)
    try store.replaceSettings(prefix: "images.", with: ["images.location": "s3://../etc"])
    #expect(throws: S3Error.self) { try BucketSettings.remembered(in: store) }
  }
}
