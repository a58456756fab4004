import ArchiveStore
import Crypto
import Foundation
import GridImage

/// One file an export writes: an archive picture (with its metadata when it goes inside), or its sidecar.
struct ExportedFile: Sendable {
  enum Content: Sendable {
    /// The archive's file with text chunks added (PNG only).
    case withMetadata([PNGTextChunk])
    /// The archive's file as it is: hard-linked, or copied.
    case asStored
    /// A `.json` sidecar.
    case sidecar(Data)
  }

  /// The archive file (or, for a sidecar, the file it describes).
  ///
  /// For a quadrant made at export time: the grid's file, with the quadrant's kind and part.
  var source: StoredFile
  /// The quadrant (1–4) to cut from the grid at `source`, for a grid the archive keeps whole; nil otherwise.
  var splitPart: Int? = nil
  var key: String
  var content: Content
  /// The path the layout gives it, before a collision adds `~2`.
  var wantedPath: String

  var isSidecar: Bool {
    if case .sidecar = content { return true }
    return false
  }

  /// Of everything the file is made from: a changed prompt, archive file or way of writing makes it written again.
  func fingerprint(copying: Bool) -> String {
    var text = "1\u{0}\(source.sha256)\u{0}\(splitPart.map { "split \($0)" } ?? "")\u{0}"
    switch content {
    case .withMetadata(let chunks):
      text += "metadata\u{0}" + chunks.map { "\($0.key)\u{0}\($0.text)\u{0}" }.joined()
    case .asStored:
      text += copying ? "copied" : "linked"
    case .sidecar(let data):
      text += "sidecar\u{0}" + String(decoding: data, as: UTF8.self)
    }
    return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  /// The files of one task the options select: each picture (with its metadata in a PNG when asked), and its
  /// sidecar when asked.
  static func files(of task: ArchivedTask, parentId: String?, options: FileExportOptions) -> [ExportedFile] {
    let isGrid = task.isGrid
    let parameters = PromptParameters(parsing: task.parameterSource)
    var files: [ExportedFile] = []
    var sources = task.files.filter { options.kind.takes($0.kind, isGrid: isGrid) && $0.edge == 0 }
      .map { (file: $0, splitPart: Int?.none) }
    // A grid kept whole (sync --no-quadrants): its quadrants are cut from it at export time.
    if isGrid, options.kind.takes(.quadrant, isGrid: true), !task.files.contains(where: { $0.kind == .quadrant }),
      let grid = task.files.first(where: { $0.kind == .original && $0.format == "PNG" })
    {
      for part in 1...4 {
        var quadrant = grid
        quadrant.kind = .quadrant
        quadrant.part = part
        quadrant.width = nil
        quadrant.height = nil
        sources.append((quadrant, part))
      }
    }
    for (file, splitPart) in sources {
      let key = "\(task.id)\u{0}\(file.kind.rawValue)\u{0}\(file.part)"
      let values = layoutValues(task, file: file, parameters: parameters)
      let path = options.layout.path(values)
      let metadata = embedded(task, file: file, parentId: parentId, parameters: parameters)
      let content: Content =
        options.metadata && file.format == "PNG" ? .withMetadata(metadata.chunks) : .asStored
      files.append(ExportedFile(source: file, splitPart: splitPart, key: key, content: content, wantedPath: path))
      if options.sidecars {
        let sidecar = ExportSidecar(task: task, file: file, parentId: parentId, parameters: parameters)
        files.append(
          ExportedFile(
            source: file, splitPart: splitPart, key: key + "\u{0}json", content: .sidecar(sidecar.json),
            wantedPath: path + ".json"))
      }
    }
    return files
  }

  /// The values a layout can name, as the archive holds them (the layout slugs each).
  private static func layoutValues(_ task: ArchivedTask, file: StoredFile, parameters: PromptParameters)
    -> [FileLayout.Field: String]
  {
    var values: [FileLayout.Field: String] = [
      .id: task.id, .action: task.action?.lowercased() ?? "", .kind: file.kind.rawValue,
      .part: file.part > 0 ? String(file.part) : "", .ext: fileExtension(file.format), .job: task.jobHash ?? "",
      .prompt: parameters.text,
    ]
    if let milliseconds = task.submitTime ?? task.finishTime {
      let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = .gmt
      let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
      let two = { (number: Int?) in String(format: "%02d", number ?? 0) }
      let year = String(format: "%04d", parts.year ?? 0)
      values[.year] = year
      values[.month] = two(parts.month)
      values[.day] = two(parts.day)
      values[.date] = "\(year)-\(two(parts.month))-\(two(parts.day))"
      values[.time] = two(parts.hour) + two(parts.minute) + two(parts.second)
    } else {
      for field in [FileLayout.Field.year, .month, .day, .date] { values[field] = "undated" }
    }
    return values
  }

  /// What goes inside the picture.
  private static func embedded(
    _ task: ArchivedTask, file: StoredFile, parentId: String?, parameters: PromptParameters
  ) -> EmbeddedMetadata {
    EmbeddedMetadata(
      description: task.prompt ?? "", parameters: task.parameterSource,
      created: (task.submitTime ?? task.finishTime).map { Date(timeIntervalSince1970: Double($0) / 1000) },
      keywords: (task.action.map { [$0.lowercased()] } ?? []) + parameters.written,
      properties: [
        ("taskId", task.id), ("parentId", parentId ?? ""), ("jobId", task.jobHash ?? ""),
        ("action", task.action ?? ""), ("kind", file.kind.rawValue), ("part", file.part > 0 ? String(file.part) : ""),
        ("seed", task.seed ?? ""),
      ])
  }

  static func fileExtension(_ format: String) -> String {
    ["PNG": "png", "WEBP": "webp", "JPEG": "jpg"][format] ?? "bin"
  }
}
