import Foundation

/// What an exported picture says about itself: written into a PNG as text chunks and XMP, so exiftool, digiKam,
/// Lightroom and Windows Explorer show the prompt.
public struct EmbeddedMetadata: Sendable, Equatable {
  /// The prompt as the user wrote it (`Description`, `dc:description`).
  public var description: String
  /// The prompt with every parameter, as the gateway ran it (`parameters`, the key image tools read).
  public var parameters: String
  /// When the picture was made (`Creation Time`, `xmp:CreateDate`).
  public var created: Date?
  /// The action and each parameter (`dc:subject`).
  public var keywords: [String]
  /// mjarchive's own properties in XMP, in order (`taskId`, `parentId`, `jobId`, …); empty values are left out.
  public var properties: [(name: String, value: String)]

  public init(
    description: String, parameters: String, created: Date?, keywords: [String],
    properties: [(name: String, value: String)]
  ) {
    self.description = description
    self.parameters = parameters
    self.created = created
    self.keywords = keywords
    self.properties = properties
  }

  public static func == (left: EmbeddedMetadata, right: EmbeddedMetadata) -> Bool {
    left.description == right.description && left.parameters == right.parameters && left.created == right.created
      && left.keywords == right.keywords && left.properties.map(\.name) == right.properties.map(\.name)
      && left.properties.map(\.value) == right.properties.map(\.value)
  }

  /// XMP's namespace for mjarchive's own properties.
  public static let namespace = "https://github.com/mjarchive/mjarchive/ns/1.0/"

  /// The text chunks to add to a PNG: `Description`, `parameters`, `Creation Time` and the XMP packet.
  ///
  /// Each text is cut to 64 KiB before the XMP is made of it, so the packet stays whole XML (the archive keeps the
  /// whole prompt).
  public var chunks: [PNGTextChunk] {
    let cut = { (text: String) in PNGTextChunk(key: "", text: text).cut().text }
    var capped = self
    capped.description = cut(description)
    capped.parameters = cut(parameters)
    capped.keywords = keywords.map(cut)
    capped.properties = properties.map { ($0.name, cut($0.value)) }
    var chunks = [
      PNGTextChunk(key: "Description", text: capped.description),
      PNGTextChunk(key: "parameters", text: capped.parameters),
    ]
    if let created { chunks.append(PNGTextChunk(key: "Creation Time", text: Self.timestamp(created))) }
    chunks.append(PNGTextChunk(key: "XML:com.adobe.xmp", text: capped.xmp))
    return chunks
  }

  /// The XMP packet (RDF/XML), every value escaped.
  public var xmp: String {
    var lines = [
      "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">",
      " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
      "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
        + " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:mjarchive=\"\(Self.namespace)\">",
    ]
    if !description.isEmpty {
      lines.append(
        "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">\(Self.escaped(description))</rdf:li></rdf:Alt>"
          + "</dc:description>")
    }
    if !keywords.isEmpty {
      let items = keywords.map { "<rdf:li>\(Self.escaped($0))</rdf:li>" }.joined()
      lines.append("   <dc:subject><rdf:Bag>\(items)</rdf:Bag></dc:subject>")
    }
    if let created { lines.append("   <xmp:CreateDate>\(Self.timestamp(created))</xmp:CreateDate>") }
    lines.append("   <xmp:CreatorTool>Midjourney</xmp:CreatorTool>")
    for (name, value) in properties where !value.isEmpty {
      lines.append("   <mjarchive:\(name)>\(Self.escaped(value))</mjarchive:\(name)>")
    }
    lines += ["  </rdf:Description>", " </rdf:RDF>", "</x:xmpmeta>", "<?xpacket end=\"w\"?>"]
    return lines.joined(separator: "\n")
  }

  /// ISO 8601 in UTC with seconds: what XMP dates and PNG's `Creation Time` readers accept.
  private static func timestamp(_ date: Date) -> String {
    date.formatted(.iso8601)  // 2026-03-01T12:00:00Z
  }

  /// Text safe inside an XML element: markup escaped, and characters XML 1.0 cannot hold (control characters
  /// other than tab and newlines, U+FFFE, U+FFFF) left out.
  static func escaped(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      default:
        guard scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF else { continue }
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
