import Foundation
import Testing

@testable import MidjourneyAPI

@Suite struct ButtonSelectorTests {
  let grid: [TaskButton]
  let upscale: [TaskButton]

  init() throws {
    grid = try GatewayTask(raw: try Fixture.data("task-imagine-success.json")).buttons
    upscale = try GatewayTask(raw: try Fixture.data("task-upscale-success.json")).buttons
  }

  @Test func shortNamesPickTheRealCustomIds() throws {
    #expect(
      try ButtonSelector.resolve("U2", in: grid).customId
        == "MJ::JOB::upsample::2::26d56b92-4ed6-45e2-8561-563797923135")
    #expect(
      try ButtonSelector.resolve("v3", in: grid).customId
        == "MJ::JOB::variation::3::26d56b92-4ed6-45e2-8561-563797923135")
    #expect(try ButtonSelector.resolve("reroll", in: grid).customId.contains("::reroll::0::"))
  }

  @Test func labelsAndEmojiMatchOnUpscales() throws {
    #expect(try ButtonSelector.resolve("vary (strong)", in: upscale).customId.hasPrefix("MJ::JOB::high_variation::1::"))
    #expect(try ButtonSelector.resolve("Zoom Out 2x", in: upscale).customId.hasPrefix("MJ::Outpaint::50::"))
    #expect(try ButtonSelector.resolve("⬅️", in: upscale).customId.hasPrefix("MJ::JOB::pan_left::"))
  }

  @Test func aFullCustomIdIsTakenAsGiven() throws {
    #expect(try ButtonSelector.resolve("MJ::CustomZoom::abc", in: []).customId == "MJ::CustomZoom::abc")
  }

  @Test func aMissingButtonNamesTheOnesThatExist() {
    let error = #expect(throws: GatewayError.self) { try ButtonSelector.resolve("U2", in: upscale) }
    #expect(error?.description.contains("Vary (Subtle)") == true)
    #expect(error?.exitCode == 1)
  }
}
