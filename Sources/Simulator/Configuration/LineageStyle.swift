/// Which trace of its parent a child task carries, as different real gateways do.
public enum LineageStyle: String, Sendable, CaseIterable {
  /// `parentId` plus `properties.custom_id` and `action_index` (trueai-org style).
  case parentId
  /// Only `properties.referencedMessageId` / `progressMessageId` pointing at the parent's `messageId` (novicezk style).
  case referencedMessage
  /// Only the pressed `properties.custom_id`, whose hash is the parent's `messageHash`.
  case hashOnly
}
