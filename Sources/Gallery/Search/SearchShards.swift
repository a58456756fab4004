/// The search index's words in files of about `limit` bytes, each file named by what its words start with.
///
/// A word is in the file of the longest key it starts with, so a query loads one file a word, and a prefix query
/// that file and those whose keys start with the prefix. Splitting is greedy from the top: the largest groups of
/// words sharing one more character move to keys of their own until what is left fits. One word alone larger than
/// `limit` (a word most prompts hold) keeps a file of its own.
struct SearchShards {
  /// One word and its task list, coded (`SearchPostingCode`).
  struct Entry: Sendable {
    let word: String
    let code: [UInt8]
    fileprivate let scalars: [Unicode.Scalar]
    fileprivate var size: Int { code.count + word.utf8.count + 6 }

    init(word: String, code: [UInt8]) {
      self.word = word
      self.code = code
      scalars = Array(word.unicodeScalars)
    }
  }

  /// One file's key and its entries, sorted by word.
  struct Shard {
    let key: String
    let entries: [Entry]
  }

  /// Keys stop growing at this many characters.
  static let maximumKeyLength = 12

  let shards: [Shard]

  init(_ entries: [Entry], limit: Int) {
    var shards: [Shard] = []
    Self.split(entries, key: [], limit: limit, into: &shards)
    self.shards = shards.sorted { $0.key < $1.key }
  }

  private static func split(_ entries: [Entry], key: [Unicode.Scalar], limit: Int, into shards: inout [Shard]) {
    var remaining = entries.reduce(0) { $0 + $1.size }
    var kept: [Entry] = []
    if remaining > limit, key.count < maximumKeyLength {
      var groups: [Unicode.Scalar: [Entry]] = [:]
      for entry in entries {
        if entry.scalars.count > key.count {
          groups[entry.scalars[key.count], default: []].append(entry)
        } else {
          kept.append(entry)
        }
      }
      let sized = groups.map { (next: $0.key, entries: $0.value, size: $0.value.reduce(0) { $0 + $1.size }) }
      for group in sized.sorted(by: { ($0.size, $1.next.value) > ($1.size, $0.next.value) }) {
        if remaining > limit {
          split(group.entries, key: key + [group.next], limit: limit, into: &shards)
          remaining -= group.size
        } else {
          kept += group.entries
        }
      }
    } else {
      kept = entries
    }
    guard !kept.isEmpty else { return }
    var text = String.UnicodeScalarView()
    text.append(contentsOf: key)
    shards.append(Shard(key: String(text), entries: kept.sorted { $0.word < $1.word }))
  }
}
