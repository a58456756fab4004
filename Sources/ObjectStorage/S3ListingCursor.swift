/// Walks the objects under some prefixes in key order, a page of a thousand at a time, so a list of keys sorted the
/// same way can be matched against a bucket of millions in little memory.
public struct S3ListingCursor: Sendable {
  private let client: S3Client
  private let pageSize: Int
  /// Prefixes not listed to their end yet, in key order.
  private var prefixes: [String]
  private var page: [S3ObjectInfo] = []
  private var index = 0
  private var token: String?
  private var started = false

  /// A cursor over the objects whose keys start with one of `prefixes` (none the prefix of another), listed
  /// `pageSize` at a time.
  public init(client: S3Client, prefixes: [String], pageSize: Int = 1000) {
    self.client = client
    self.pageSize = pageSize
    self.prefixes = prefixes.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// The objects not handed out before whose keys come up to and including `last`, by key.
  ///
  /// Keys are compared byte by byte, the order S3 lists them in.
  public mutating func objects(through last: String) async throws(S3Error) -> [String: S3ObjectInfo] {
    var found: [String: S3ObjectInfo] = [:]
    while true {
      while index < page.count {
        let object = page[index]
        if last.utf8.lexicographicallyPrecedes(object.key.utf8) { return found }
        found[object.key] = object
        index += 1
      }
      guard try await nextPage() else { return found }
    }
  }

  /// Loads the next page; false when every prefix was listed to its end.
  private mutating func nextPage() async throws(S3Error) -> Bool {
    while let prefix = prefixes.first {
      if started, token == nil {
        prefixes.removeFirst()
        started = false
        continue
      }
      let listed = try await client.list(prefix: prefix, continuationToken: token, maximumKeys: pageSize)
      // A server that hands back the token it was given would be listed forever.
      if let next = listed.continuationToken, next == token {
        throw .unexpectedAnswer(place: client.place, detail: "a listing that repeats its continuation token")
      }
      (page, index, token, started) = (listed.objects, 0, listed.continuationToken, true)
      if !page.isEmpty { return true }
    }
    return false
  }
}
