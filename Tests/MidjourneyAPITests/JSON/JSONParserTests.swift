import Foundation
import Testing

@testable import MidjourneyAPI

@Suite struct JSONParserTests {
  @Test(arguments: Fixture.allSampleNames)
  func everySampleRoundTripsToAnEqualValue(name: String) throws {
    let value = try JSONParser.parse(try Fixture.data(name))
    let again = try JSONParser.parse(Data(value.serialized().utf8))
    #expect(again == value)
    #expect(try JSONParser.parse(Data(value.prettySerialized().utf8)) == value)
  }

  @Test func numbersBeyond2To53KeepTheirDigits() throws {
    let value = try JSONParser.parse(Data(#"{"a": 8774786694361674000, "b": 1320098173412546, "c": -0.5e-3}"#.utf8))
    #expect(value["a"] == .number("8774786694361674000"))
    #expect(value["b"]?.textValue == "1320098173412546")
    #expect(value["c"] == .number("-0.5e-3"))
    #expect(value.serialized() == #"{"a":8774786694361674000,"b":1320098173412546,"c":-0.5e-3}"#)
  }

  @Test func escapesAndSurrogatePairsDecode() throws {
    let value = try JSONParser.parse(Data(#"["\u003chttps://x\u003e \u0026 \ud83d\udd04 \"q\" \\ \/"]"#.utf8))
    #expect(value.arrayValue?.first?.stringValue == "<https://x> & 🔄 \"q\" \\ /")
  }

  @Test func stringsMixingASCIIOtherScriptsAndEscapesDecodeExactly() throws {
    let value = try JSONParser.parse(Data(#"["fox\u00e9 café\n一只黑猫\t🔄 done", "", "\"", "é"]"#.utf8))
    #expect(value == ["fox\u{e9} café\n一只黑猫\t🔄 done", "", "\"", "é"])
    // Invalid UTF-8 in a run after an escape is refused and located at that run.
    let error = #expect(throws: JSONParseError.self) {
      try JSONParser.parse(Data([0x22, 0x61, 0x5C, 0x6E, 0x62, 0xC3, 0x28, 0x22]))
    }
    #expect(error?.offset == 4)
    #expect(error?.reason.contains("UTF-8") == true)
  }

  @Test func serializedStringsAreSafeInsideHTMLScript() throws {
    let text = JSONValue.string("</script><script>alert(1)</script>\u{2028}").serialized()
    #expect(!text.contains("<"))
    #expect(!text.contains(">"))
    #expect(try JSONParser.parse(Data(text.utf8)) == .string("</script><script>alert(1)</script>\u{2028}"))
  }

  @Test func truncatedInputIsReportedAsEndingEarly() throws {
    let full = try Fixture.data("task-imagine-success.json")
    let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(full.prefix(full.count / 2)) }
    #expect(error?.atEnd == true)
    #expect(error?.description.contains("stops after") == true)
  }

  @Test(arguments: [
    "<html><body>502 Bad Gateway</body></html>", "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\\x\"",
    "\"\u{01}\"", "{\"a\":1} trailing", "[\"\\ud800\"]", "nul", "[1 2]", "{1:2}",
  ])
  func malformedDocumentsThrowInsteadOfTrapping(text: String) {
    #expect(throws: JSONParseError.self) { try JSONParser.parse(Data(text.utf8)) }
  }

  @Test func invalidUTF8InsideAStringIsRefused() {
    let bytes = Data([0x22, 0xC3, 0x28, 0x22])
    #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
  }

  @Test func deepNestingIsRefusedWithoutExhaustingTheStack() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(Data(deep.utf8)) }
    #expect(error?.reason.contains("nesting") == true)
  }

  @Test func arrayElementsComeWithTheirExactBytes() throws {
    let text = #"[ {"id": 1,  "x":"a"} ,{"id":"2"}, 3 ]"#
    let elements = try JSONParser.parseArrayElements(Data(text.utf8))
    #expect(elements.map { String(decoding: $0.raw, as: UTF8.self) } == [#"{"id": 1,  "x":"a"}"#, #"{"id":"2"}"#, "3"])
    #expect(elements[1].value["id"] == .string("2"))
  }

  @Test func arrayElementsRejectANonArray() {
    #expect(throws: JSONParseError.self) { try JSONParser.parseArrayElements(Data(#"{"ids":[]}"#.utf8)) }
  }

  @Test func objectsKeepMemberOrderAndDuplicates() throws {
    let value = try JSONParser.parse(Data(#"{"b":1,"a":2,"b":3}"#.utf8))
    #expect(value.objectValue?.keys == ["b", "a", "b"])
    #expect(value["b"] == .number("3"))
    #expect(value.serialized() == #"{"b":1,"a":2,"b":3}"#)
  }
}
