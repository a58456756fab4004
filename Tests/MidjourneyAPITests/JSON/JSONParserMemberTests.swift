import Foundation
import Testing

@testable import MidjourneyAPI

/// One member of an object read with the rest skipped: the same value the whole parse gives, and no crash on the rest.
@Suite struct JSONParserMemberTests {
  @Test(arguments: Fixture.allSampleNames)
  func everyMemberOfEverySampleIsTheWholeParsesValue(name: String) throws {
    let data = try Fixture.data(name)
    let object = try #require(try JSONParser.parse(data).objectValue)
    for member in object.members {
      #expect(try JSONParser.member(member.key, of: data) == member.value, "\(name): \(member.key)")
    }
    #expect(try JSONParser.member("no such key", of: data) == nil)
  }

  @Test func onlyATopLevelKeyCountsHoweverTheSkippedValuesLook() throws {
    let json = #"""
      {"prompt": "a \"buttons\": [1] trick \\", "nested": {"buttons": ["inner"], "list": [{"a": "]}"}, [], -1.5e3]},
       "flag": true, "none": null, "n": 0, "buttons": [{"customId": "MJ::JOB::upsample::1::x", "label": "U1"}]}
      """#
    #expect(
      try JSONParser.member("buttons", of: Data(json.utf8))
        == .array([
          .object(
            JSONObject([.init(key: "customId", value: "MJ::JOB::upsample::1::x"), .init(key: "label", value: "U1")]))
        ]))
    #expect(try JSONParser.member("n", of: Data(json.utf8)) == .number("0"))
  }

  @Test(arguments: [
    "", "[]", "\"buttons\"", "{\"a\": \"unterminated", "{\"a\": [1, 2", "{\"a\": 1", "{\"a\" 1}", "{\"a\": \"\\", "{,}",
    "{\"a\": \"x\u{01}\"}",
  ])
  func brokenInputIsAnErrorNotACrash(json: String) {
    #expect(throws: JSONParseError.self) { try JSONParser.member("buttons", of: Data(json.utf8)) }
  }

  @Test func nestingBeyondTheLimitIsRefusedWhileSkipping() {
    let deep = "{\"a\": " + String(repeating: "[", count: JSONParser.maximumDepth + 1) + "}"
    #expect(throws: JSONParseError.self) { try JSONParser.member("buttons", of: Data(deep.utf8)) }
  }

  @Test(arguments: Fixture.allSampleNames)
  func aTasksButtonsAreThoseTheWholeTaskHas(name: String) throws {
    let data = try Fixture.data(name)
    guard let task = try? GatewayTask(raw: data) else { return }
    #expect(GatewayTask.buttons(inRaw: data) == task.buttons)
  }
}
