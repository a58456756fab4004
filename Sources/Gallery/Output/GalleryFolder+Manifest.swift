import Foundation

/// Reading the manifest: its `@export` and `@folder` lines, and each file's entry.
extension GalleryFolder {
  /// What starts a folder's line in the manifest.
  static let folderPrefix = "@folder"

  /// Every folder holding one of `paths`, and the folders above them, short of the gallery's top (which the
  /// manifest itself changes).
  static func folders(holding paths: some Sequence<String>) -> [String] {
    var folders: Set<String> = []
    for path in paths {
      var folder = Substring(path)
      while let slash = folder.lastIndex(of: "/") {
        folder = folder[..<slash]
        guard folders.insert(String(folder)).inserted else { break }
      }
    }
    return folders.sorted()
  }

  /// Reads the `@export` and `@folder` lines right after the header line (version 3).
  static func parseRecord(_ data: Data) -> (state: ExportState?, folders: [String: String]) {
    var state: ExportState?
    var folders: [String: String] = [:]
    var start = (data.firstIndex(of: 0x0A) ?? data.endIndex) + 1
    // Only the lines at the top are read: the rest of a large gallery's manifest is many megabytes.
    while start < data.endIndex, data[start] == UInt8(ascii: "@") {
      let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
      let line = String(decoding: data[start..<end], as: UTF8.self)[...]
      if line.hasPrefix(ExportState.prefix + " ") {
        state = ExportState(line: line)
      } else if line.hasPrefix(folderPrefix + " ") {
        let parts = line.split(separator: " ", maxSplits: 2)
        if parts.count == 3 { folders[String(parts[2])] = String(parts[1]) }
      }
      start = end + 1
    }
    return (state, folders)
  }

  /// Reads `<fingerprint> <stamp> <path>` lines (versions 2 and 3; version 1 had no stamp) after the header line,
  /// byte by byte, skipping version 3's `@` lines: 120k lines in a few milliseconds.
  static func parse(_ data: Data) -> [String: Entry] {
    var entries: [String: Entry] = [:]
    let bytes = [UInt8](data)
    entries.reserveCapacity(bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
    let headerEnd = bytes.firstIndex(of: 0x0A) ?? bytes.count
    let header = bytes[..<headerEnd]
    let stamped = header.elementsEqual("mjarchive-gallery 2".utf8) || header.elementsEqual("mjarchive-gallery 3".utf8)
    var start = headerEnd + 1
    while start < bytes.count {
      let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
      if bytes[start] != UInt8(ascii: "@"), let space = bytes[start..<end].firstIndex(of: 0x20) {
        let fingerprint = String(decoding: bytes[start..<space], as: UTF8.self)
        var pathStart = space + 1
        var stamp: String?
        if stamped, let second = bytes[pathStart..<end].firstIndex(of: 0x20) {
          let text = String(decoding: bytes[pathStart..<second], as: UTF8.self)
          stamp = text == "-" ? nil : text
          pathStart = second + 1
        }
        entries[String(decoding: bytes[pathStart..<end], as: UTF8.self)] = Entry(fingerprint: fingerprint, stamp: stamp)
      }
      start = end + 1
    }
    return entries
  }
}
