import Foundation
import Testing

@testable import MidjourneyAPI

@Suite struct GatewayTaskTests {
  @Test func imagineSampleDecodesEveryDocumentedField() throws {
    let raw = try Fixture.data("task-imagine-success.json")
    let task = try GatewayTask(raw: raw)
    #expect(task.raw == raw)
    #expect(task.id == "1320098173412546")
    #expect(task.action == .imagine)
    #expect(task.status == .success)
    #expect(task.progressPercent == 100)
    #expect(task.submitTime == 1_741_531_578_038)
    #expect(task.finishTime == 1_741_531_608_566)
    #expect(task.finalPrompt == "cat --v 6.1 --sref <https://s.mj.run/ktqQpnwPoPk>")
    #expect(task.messageHash == "26d56b92-4ed6-45e2-8561-563797923135")
    #expect(task.properties["discordChannelId"] == .number("8774786694361674000"))
    #expect(task.properties["discordInstanceId"]?.textValue == "7415633538733103000")
    #expect(task.buttons.count == 9)
    #expect(task.buttons[4].customId == "MJ::JOB::reroll::0::26d56b92-4ed6-45e2-8561-563797923135::SOLO")
    #expect(task.buttons[4].emoji == "🔄")
    #expect(task.imageUrl?.contains("&is=67cda9d7&") == true)
    #expect(task.isFinished)
  }

  @Test func upscaleSampleKeepsItsLineageHints() throws {
    let task = try GatewayTask(raw: try Fixture.data("task-upscale-success.json"))
    #expect(task.action == .upscale)
    #expect(task.parentId == "1320098173412546")
    #expect(task.properties["referencedMessageId"]?.textValue == "1348306030706036789")
    #expect(task.properties["custom_id"]?.stringValue == "MJ::JOB::upsample::2::26d56b92-4ed6-45e2-8561-563797923135")
    #expect(task.properties["action_index"] == .number("2"))
    #expect(task.buttons.map(\.label).contains("Vary (Region)"))
  }

  @Test func inProgressAndFailureSamplesDecode() throws {
    let running = try GatewayTask(raw: try Fixture.data("task-variation-in-progress.json"))
    #expect(running.status == .inProgress)
    #expect(running.progressPercent == 46)
    #expect(running.finishTime == nil)
    #expect(!running.isFinished)
    #expect(running.buttons.isEmpty)
    let failed = try GatewayTask(raw: try Fixture.data("task-imagine-failure.json"))
    #expect(failed.status == .failure)
    #expect(failed.failReason == "[Invalid parameter] Invalid value")
    #expect(failed.progressPercent == nil)
  }

  @Test func describeSampleKeepsFourPromptsAndPicReaderButtons() throws {
    let task = try GatewayTask(raw: try Fixture.data("task-describe-success.json"))
    #expect(task.action == .describe)
    #expect(task.finalPrompt?.components(separatedBy: "\n\n").count == 4)
    #expect(task.buttons.map(\.customId).contains("MJ::Job::PicReader::all"))
  }

  @Test func unknownValuesAndFieldsAreKeptNotFatal() throws {
    let raw = Data(
      #"{"id":14001934816969359,"action":"VARY_REGION","status":"QUEUED","newField":{"x":[1,2]},"buttons":[{"label":"no id"}]}"#
        .utf8)
    let task = try GatewayTask(raw: raw)
    #expect(task.id == "14001934816969359")
    #expect(task.action == .unknown("VARY_REGION"))
    #expect(task.action?.rawValue == "VARY_REGION")
    #expect(task.status == .unknown("QUEUED"))
    #expect(task.json["newField"]?["x"] == .array([.number("1"), .number("2")]))
    #expect(task.buttons.isEmpty)
    #expect(task.raw == raw)
  }

  @Test(arguments: [#"[]"#, #"{"action":"IMAGINE"}"#, #"{"id":""}"#, "<html></html>", #"{"id":"1""#])
  func documentsThatAreNotTasksThrow(text: String) {
    #expect(throws: GatewayError.self) { try GatewayTask(raw: Data(text.utf8)) }
  }
}
