import Basics
import Foundation
import MidjourneyAPI

/// What reading the gateway's task list found (`sync --discover`): how far back it reaches and what needs haste.
public struct DiscoveryReport: Sendable, Equatable {
  /// Tasks the list held (readable ones).
  public var listed = 0
  /// Of those, submitted before `--since` and left out.
  public var skippedAsOlder = 0
  /// The oldest and newest submit times listed (unix milliseconds).
  public var oldestSubmit: Int64?
  public var newestSubmit: Int64?
  /// Finished tasks whose image link has expired: a refetch gives a fresh one only while the gateway's Discord
  /// message exists.
  public var expiredLinks = 0
  /// Finished tasks listed without any image link.
  public var withoutImage = 0

  public init() {}

  /// True when the list looks cut at a gateway's usual limit of 100 newest tasks.
  public var looksCut: Bool { listed == 100 }
}

extension DiscoveryReport {
  /// Counts one listed task.
  mutating func count(_ task: GatewayTask, now: Int, gateway: URL) {
    listed += 1
    if let submitted = task.submitTime, submitted > 0 {
      oldestSubmit = min(oldestSubmit ?? submitted, submitted)
      newestSubmit = max(newestSubmit ?? submitted, submitted)
    }
    guard task.status == .success else { return }
    guard let link = task.imageUrl, !link.isEmpty else {
      withoutImage += 1
      return
    }
    if let expiry = ImageLink(link, gateway: gateway)?.expiresAt, expiry < now { expiredLinks += 1 }
  }
}

extension DiscoveryReport {
  /// What `sync --all-history` prints: how far back the list reaches, and what will be lost without a refetch.
  public var text: String {
    var lines: [String] = []
    let span: String
    if let oldest = oldestSubmit, let newest = newestSubmit {
      span = " submitted from \(DateText.utc(oldest)) to \(DateText.utc(newest))"
    } else {
      span = ""
    }
    lines.append("task list: \(listed) task\(listed == 1 ? "" : "s")\(span)")
    if skippedAsOlder > 0 { lines.append("  \(skippedAsOlder) submitted before --since were left out") }
    if expiredLinks > 0 {
      lines.append(
        "  \(expiredLinks) finished task\(expiredLinks == 1 ? "'s link has" : "s' links have") expired: sync "
          + "refetches each for a fresh link, which the gateway gives only while its Discord message exists")
    }
    if withoutImage > 0 { lines.append("  \(withoutImage) finished without an image link") }
    if looksCut {
      lines.append(
        "  exactly 100 listed: the gateway may list only its newest 100; older tasks need their ids "
          + "(mjarchive track, or import of an export)")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
