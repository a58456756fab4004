import Foundation
import Testing

@testable import MidjourneyAPI

@Suite struct SubmitResponseTests {
  @Test func resultAsANumberBecomesExactText() throws {
    let answer = try SubmitResponse(raw: try Fixture.data("submit-ok.json"))
    #expect(answer.code == .success)
    #expect(answer.result == "1320098173412546")
  }

  @Test func resultAsAStringAndQueuedProperties() throws {
    let answer = try SubmitResponse(raw: try Fixture.data("submit-queued.json"))
    #expect(answer.code == .inQueue)
    #expect(answer.result == "1320098173413001")
    #expect(answer.properties["numberOfQueues"] == .number("3"))
  }

  @Test func refusalsCarryNoResult() throws {
    let banned = try SubmitResponse(raw: try Fixture.data("submit-banned-prompt.json"))
    #expect(banned.code == .bannedPrompt)
    #expect(banned.result == nil)
    #expect(banned.properties["bannedWord"]?.stringValue == "banned")
    #expect(try SubmitResponse(raw: try Fixture.data("submit-queue-full.json")).code == .queueRejected)
    #expect(try SubmitResponse(raw: try Fixture.data("submit-modal-waiting.json")).result == "1320098173413002")
  }

  @Test func anAnswerWithoutACodeIsMalformed() {
    #expect(throws: GatewayError.self) { try SubmitResponse(raw: Data(#"{"result":"1"}"#.utf8)) }
  }
}
