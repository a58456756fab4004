import ArchiveStore
import Basics
import Dispatch
import Foundation
import MidjourneyAPI

/// The gallery's search index, in `assets/search/`, cut so that a query loads only what it needs.
///
/// Tasks are numbered from the oldest (a new task changes only the last files), and each file is a script that hands
/// its data to `MJ_SEARCH_LOADED(name, data)` in search.js (scripts, not fetches, so it works from file://):
/// - `index.js`: the task count, the rows a file of rows holds and the keys of the word files;
/// - `w<hex of key>.js`: words starting with the key, each with its tasks (`SearchShards`, `SearchPostingCode`).
///   Besides each word, the index keeps each pair of neighbouring words (`red fox`), so a two-word phrase is found
///   without reading rows, and ideographs one and two at a time (`SearchWords.ideographicKeys`);
/// - `d<n>.js`: the rows (`SearchDocumentRow`) of tasks `n × chunk` on, for showing results and checking phrases;
/// - `meta.js`: each task's action, aspect ratio and version; `times.js`: each task's submit time (for filters).
struct SearchIndexWriter {
  /// The folder in the gallery.
  static let folder = "assets/search"
  /// Tasks a file of rows holds by default.
  static let defaultChunk = 256
  /// About how large a words file grows before it is split.
  static let shardBytes = 64 * 1_024

  /// Rows, oldest first: the ordinal of a task is its place here.
  private let rows: [SearchDocumentRow]
  /// Each row's task digest, for the row files' fingerprints.
  private let digests: [[UInt8]]
  private let chunk: Int

  init(tasks: [ArchivedTask], builder: PageBuilder, chunk: Int = defaultChunk) {
    let oldestFirst = Array(tasks.reversed())
    rows = oldestFirst.concurrentMap { SearchDocumentRow($0, builder: builder) }
    digests = oldestFirst.map { builder.digests[$0.id] ?? [] }
    self.chunk = max(1, chunk)
  }

  /// Writes every file whose content changed; `salt` is what else the rows depend on (templates, paths).
  func write(into output: GalleryFolder, salt: String) throws(GalleryError) {
    try output.prepareFolder(for: Self.folder + "/index.js")
    let shards = SearchShards(wordEntries(), limit: Self.shardBytes)
    var index = "{\"version\":2,\"tasks\":\(rows.count),\"chunk\":\(chunk),\"keys\":["
    index += shards.shards.map { JSONValue.string($0.key).serialized() }.joined(separator: ",")
    index += "]}"
    try file("index", Array(index.utf8), into: output)
    try file("meta", metaColumns(), into: output)
    try file("times", timesColumn(), into: output)
    let failure = Locked<GalleryError?>(nil)
    let chunks = (rows.count + chunk - 1) / chunk
    DispatchQueue.concurrentPerform(iterations: chunks + shards.shards.count) { item in
      do throws(GalleryError) {
        if item < chunks {
          try rowFile(item, into: output, salt: salt)
        } else {
          let shard = shards.shards[item - chunks]
          try file(Self.shardName(shard.key), Self.shardData(shard), into: output)
        }
      } catch {
        failure.withLock { $0 = $0 ?? error }
      }
    }
    if let error = failure.withLock({ $0 }) { throw error }
  }

  /// The file name (without `.js`) of the words under `key`: `w` and the key's UTF-8 in hex.
  static func shardName(_ key: String) -> String {
    "w" + key.utf8.lowercaseHex
  }

  /// Every word of every task with the tasks holding it, each task once, in order.
  private func wordEntries() -> [SearchShards.Entry] {
    let words = rows.concurrentMap { row in
      var found: Set<String> = []
      for text in row.searchedTexts {
        var previous: String?
        for word in SearchWords.words(text) {
          found.insert(word)
          if let previous { found.insert(previous + " " + word) }
          previous = word
          found.formUnion(SearchWords.ideographicKeys(word))
        }
      }
      return Array(found)
    }
    var postings: [String: [Int32]] = [:]
    for (ordinal, list) in words.enumerated() {
      for word in list { postings[word, default: []].append(Int32(ordinal)) }
    }
    return Array(postings).concurrentMap { word, ordinals in
      SearchShards.Entry(word: word, code: SearchPostingCode.encode(sortedOrdinals: ordinals))
    }
  }

  private static func shardData(_ shard: SearchShards.Shard) -> [UInt8] {
    var data: [UInt8] = [UInt8(ascii: "{")]
    for (offset, entry) in shard.entries.enumerated() {
      if offset > 0 { data += ",\n".utf8 }
      data += JSONValue.string(entry.word).serialized().utf8
      data += ":\"".utf8
      data += entry.code
      data.append(UInt8(ascii: "\""))
    }
    data += "}".utf8
    return data
  }

  /// Each task's action, aspect ratio and version as an index into that column's values.
  private func metaColumns() -> [UInt8] {
    var data = Array("{".utf8)
    let columns: [(String, KeyPath<SearchDocumentRow, String>)] = [
      ("action", \.action), ("ratio", \.aspectRatio), ("version", \.version),
    ]
    for (offset, (name, path)) in columns.enumerated() {
      let values = Array(Set(rows.map { $0[keyPath: path] })).sorted()
      let codes = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
      var column: [UInt8] = []
      for row in rows { SearchPostingCode.append(codes[row[keyPath: path]] ?? 0, to: &column) }
      if offset > 0 { data += ",".utf8 }
      data += "\"\(name)s\":\(JSONValue.array(values.map(JSONValue.string)).serialized()),\"\(name)\":\"".utf8
      data += column
      data += "\"".utf8
    }
    return data + "}".utf8
  }

  /// Each task's submit time in milliseconds, less the earliest plus one (0 for none).
  private func timesColumn() -> [UInt8] {
    let base = rows.compactMap(\.submitTime).min() ?? 0
    var column: [UInt8] = []
    for row in rows { SearchPostingCode.append(row.submitTime.map { Int($0 - base) + 1 } ?? 0, to: &column) }
    return Array("{\"base\":\(base),\"times\":\"".utf8) + column + Array("\"}".utf8)
  }

  /// Writes the rows of tasks `number × chunk` on; fingerprinted by their tasks' digests, so unchanged ones are not
  /// serialized at all.
  private func rowFile(_ number: Int, into output: GalleryFolder, salt: String) throws(GalleryError) {
    let range = (number * chunk)..<min(rows.count, (number + 1) * chunk)
    var input = Fingerprint("search rows")
    input.add(salt)
    input.add(range.lowerBound)
    for ordinal in range { input.add(digest: digests[ordinal]) }
    try output.page("\(Self.folder)/d\(number).js", fingerprint: input.text) {
      Self.script(
        "d\(number)",
        Array("[\n".utf8) + Array(rows[range].map(\.json).joined(separator: ",\n").utf8) + Array("\n]".utf8))
    }
  }

  /// Writes `name.js`, fingerprinted by its content.
  private func file(_ name: String, _ data: [UInt8], into output: GalleryFolder) throws(GalleryError) {
    try output.file("\(Self.folder)/\(name).js", bytes: Self.script(name, data))
  }

  /// `MJ_SEARCH_LOADED("name",data);`: the script that hands `data` to search.js.
  private static func script(_ name: String, _ data: [UInt8]) -> [UInt8] {
    Array("MJ_SEARCH_LOADED(\"\(name)\",".utf8) + data + Array(");\n".utf8)
  }
}
