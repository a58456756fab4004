import Foundation
import GridImage
import TestSupport
import Testing

@Suite struct EmbeddedMetadataTests {
  private func metadata(_ description: String) -> EmbeddedMetadata {
    EmbeddedMetadata(
      description: description, parameters: description + " --ar 16:9",
      created: Date(timeIntervalSince1970: 1_741_600_000), keywords: ["imagine", "--ar 16:9"],
      properties: [("taskId", "1320098173412546"), ("parentId", "")])
  }

  /// Markup, control characters and a megabyte prompt still make a whole XMP packet that XML parsers read.
  @Test func hostileAndHugeTextsMakeWellFormedXMP() throws {
    let hostile = "</x:xmpmeta><script>&amp; \u{0}\u{7}\u{FFFE} 黑猫 \"quoted\""
    for description in [hostile, String(repeating: "fox ", count: 300_000)] {
      let chunks = metadata(description).chunks
      let xmp = try #require(chunks.first { $0.key == "XML:com.adobe.xmp" }?.text)
      // Python's own XML parser (FoundationXML's XMLDocument leaks under LeakSanitizer): the description back.
      let text = try run(
        "/usr/bin/python3",
        [
          "-c",
          "import sys, xml.etree.ElementTree as E; d = E.fromstring(sys.stdin.buffer.read()); "
            + "print(next(e.text for e in d.iter() if e.tag.endswith('}li')), end='')",
        ], input: Data(xmp.utf8))
      #expect(text.hasPrefix(String(description.prefix(20)).replacingOccurrences(of: "\u{0}", with: "")))
      // Each text is cut to 64 KiB; the XMP holds one of them with its markup.
      #expect(chunks.allSatisfy { $0.text.utf8.count <= PNGTextChunk.maximumQuadrantTextBytes + 4_096 })
    }
    let xmp = metadata(hostile).xmp
    #expect(xmp.contains("&lt;/x:xmpmeta&gt;&lt;script&gt;&amp;amp;"))
    #expect(xmp.contains("<mjarchive:taskId>1320098173412546</mjarchive:taskId>"))
    #expect(!xmp.contains("parentId"))  // empty properties are left out
    #expect(xmp.contains("<xmp:CreateDate>2025-03-10T09:46:40Z</xmp:CreateDate>"))
  }
}
