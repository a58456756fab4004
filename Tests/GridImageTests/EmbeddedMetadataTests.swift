import Foundation
import FoundationXML
import GridImage
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
      let document = try XMLDocument(xmlString: xmp)
      let text = try document.nodes(forXPath: "//*[local-name()='description']//*[local-name()='li']").first?
        .stringValue
      #expect(text?.hasPrefix(String(description.prefix(20)).replacingOccurrences(of: "\u{0}", with: "")) == true)
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
