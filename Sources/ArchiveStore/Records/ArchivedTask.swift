/// One stored task with its buttons and files, as read in bulk for an export.
public struct ArchivedTask: Sendable, Equatable {
  /// A button the task showed when it was fetched, as a person sees it.
  ///
  /// Its custom id stays in the raw JSON: kept here for every button of every task, the ids were a fifth of a
  /// gallery export's memory.
  public struct Button: Sendable, Equatable {
    public var label: String
    public var emoji: String

    /// What a person sees on the button: its label, else its emoji.
    public var text: String { label.isEmpty ? emoji : label }
  }

  public var id: String
  /// The store's sequence number: newest made has the highest.
  public var seq: Int64
  public var action: String?
  public var status: String?
  public var progress: String?
  public var prompt: String?
  public var promptEn: String?
  public var finalPrompt: String?
  public var description: String?
  public var failReason: String?
  /// Unix milliseconds.
  public var submitTime: Int64?
  public var startTime: Int64?
  public var finishTime: Int64?
  public var buttons: [Button]
  /// The Midjourney job the picture belongs to (its message hash, else the UUID in its file name).
  public var jobHash: String? = nil
  /// The picture's seed as the gateway gave it (`sync --seeds`).
  public var seed: String? = nil
  /// The original, quadrants and thumbnails sync stored.
  public var files: [StoredFile]

  /// The prompt parameters are read from: the final prompt where the gateway sent one.
  public var parameterSource: String { finalPrompt ?? prompt ?? "" }

  /// True when one of the buttons was U1–U4: `MJ::JOB::upsample::<one character>::…`, as the store's
  /// `LIKE 'MJ::JOB::upsample::_::%'`.
  public var showsUpscaleButtons = false

  /// True for a 2×2 grid: it shows U1–U4 buttons, or it shows none and its action makes grids (as the store decides).
  public var isGrid: Bool {
    buttons.isEmpty ? ArchiveStore.gridActions.contains(action ?? "") : showsUpscaleButtons
  }

  /// Whether `customId` is a U1–U4 button's.
  public static func isUpscaleButton(_ customId: String) -> Bool {
    let prefix = "MJ::JOB::upsample::"
    guard customId.hasPrefix(prefix) else { return false }
    let rest = customId.dropFirst(prefix.count)
    return rest.count >= 3 && rest.dropFirst().hasPrefix("::")
  }
}
