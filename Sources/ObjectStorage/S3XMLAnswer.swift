import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The parts of an S3 XML answer mjarchive reads: the root's simple fields and its repeated records.
///
/// S3 answers are two levels deep (`<Error><Code>…`, `<ListBucketResult><Contents><Key>…`), so this keeps those
/// two levels as text and nothing more. External entities are never resolved.
struct S3XMLAnswer {
  /// The root element's name (`Error`, `ListBucketResult`).
  var root = ""
  /// Text of each simple child of the root, by name (`Code`, `IsTruncated`, `NextContinuationToken`).
  var fields: [String: String] = [:]
  /// Each child of the root that has children of its own (`Contents`), as its children's texts by name.
  var records: [(name: String, fields: [String: String])] = []

  /// Parses `data`, or nil when it is not well-formed XML.
  init?(_ data: Data) {
    let reader = Reader()
    let parser = XMLParser(data: data)
    parser.shouldResolveExternalEntities = false
    parser.delegate = reader
    guard parser.parse(), !reader.answer.root.isEmpty else { return nil }
    self = reader.answer
  }

  private init() {}

  private final class Reader: NSObject, XMLParserDelegate {
    var answer = S3XMLAnswer()
    private var path: [String] = []
    private var text = ""
    private var record: [String: String]?

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      if path.isEmpty { answer.root = name }
      if path.count == 2 { record = record ?? [:] }
      path.append(name)
      text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      switch path.count {
      case 3: record?[name] = text
      case 2:
        if let record {
          answer.records.append((name, record))
          self.record = nil
        } else {
          answer.fields[name] = text
        }
      default: break
      }
      path.removeLast()
      text = ""
    }
  }
}
