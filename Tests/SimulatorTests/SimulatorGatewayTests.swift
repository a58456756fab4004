import Foundation
import MidjourneyAPI
import Testing

@testable import Simulator

/// The simulated gateway's behaviour, driven request by request with its clock moved by hand.
@Suite struct SimulatorGatewayTests {
  let gateway = SimulatorGateway(configuration: SimulatorConfiguration(taskSeconds: 10, imageSize: .small))

  func call(_ method: String, _ path: String, _ body: String? = nil, on gateway: SimulatorGateway? = nil)
    -> SimulatorResponse
  {
    (gateway ?? self.gateway).respond(to: SimulatorRequest(method: method, uri: path, body: Data((body ?? "").utf8)))
  }

  func json(_ response: SimulatorResponse) throws -> JSONValue {
    try JSONParser.parse(response.body)
  }

  func imagine(_ prompt: String = "red fox", state: String = "", on gateway: SimulatorGateway? = nil) throws -> String {
    let answer = try json(
      call("POST", "/mj-fast/mj/submit/imagine", #"{"prompt":"\#(prompt)","state":"\#(state)"}"#, on: gateway))
    return try #require(answer["result"]?.textValue)
  }

  func task(_ id: String, on gateway: SimulatorGateway? = nil) throws -> GatewayTask {
    try GatewayTask(raw: call("GET", "/mj/task/\(id)/fetch", on: gateway).body)
  }

  @Test func callbacksAreDueOncePerStepAndCarryTheHookAsGatewaysEchoIt() throws {
    var configuration = SimulatorConfiguration(taskSeconds: 10, imageSize: .small)
    configuration.hookFaults = HookFaultPlan(reorder: true)
    let hooked = SimulatorGateway(configuration: configuration)
    let answer = try json(
      call("POST", "/mj/submit/imagine", #"{"prompt":"fox","notifyHook":"http://127.0.0.1:9/hook/t"}"#, on: hooked))
    let id = try #require(answer["result"]?.textValue)
    _ = try imagine("no hook", on: hooked)
    var steps: [String] = []
    for _ in 0..<12 {
      for callback in hooked.dueCallbacks() {
        #expect(callback.url == "http://127.0.0.1:9/hook/t" && callback.taskId == id && callback.copies == 1)
        let task = try GatewayTask(raw: callback.body)
        steps.append("\(task.status?.rawValue ?? "?") \(task.progress ?? "")")
        #expect(task.json["properties"]?["notifyHook"]?.stringValue == "http://127.0.0.1:9/hook/t")
      }
      hooked.clock.advance(by: 1)
    }
    // Submitted, 25/50/75 % steps, success, then the last progress again (reorder); nothing for the task with none.
    #expect(steps.first?.hasPrefix("NOT_START") == true)
    #expect(steps.filter { $0.hasPrefix("SUCCESS") }.count == 1)
    #expect(steps.count == 6, "\(steps)")
    #expect(steps.last?.hasPrefix("IN_PROGRESS") == true)
    #expect(hooked.hookCounts.late == 1)
  }

  @Test func distinctImagesMakeSubmittedGridsShareTheirPictures() throws {
    var configuration = SimulatorConfiguration(taskSeconds: 0, imageSize: .small)
    configuration.distinctImages = 2
    let cycling = SimulatorGateway(configuration: configuration)
    let ids = try (0..<3).map { try imagine("fox \($0)", on: cycling) }
    let images = ids.map { cycling.servedImage(taskId: $0) }
    #expect(images[0] != nil && images[0] != images[1])
    #expect(images[0] == images[2])
  }

  @Test func submitAnswersLikeTheRealSample() throws {
    let response = call("POST", "/mj/submit/imagine", #"{"prompt":"cat"}"#)
    let text = String(decoding: response.body, as: UTF8.self)
    #expect(text.hasPrefix(#"{"code":1,"description":"Submit success","properties":{},"result":"#))
    let id = try #require(try json(response)["result"])
    guard case .number(let literal) = id else { Issue.record("result is not a JSON number"); return }
    #expect(UInt64(literal)! > 1 << 53)
  }

  @Test func tasksMoveThroughTheirStatusesOverTime() throws {
    let id = try imagine()
    #expect(try task(id).status == .notStarted)
    gateway.clock.advance(by: 5.5)
    let running = try task(id)
    #expect(running.status == .inProgress)
    #expect(running.progressPercent == 55)
    #expect(running.imageUrl?.contains("_grid_0.webp") == true)
    #expect(running.buttons.isEmpty)
    #expect(running.messageHash == nil)
    gateway.clock.advance(by: 5)
    let done = try task(id)
    #expect(done.status == .success)
    #expect(done.progress == "100%")
    #expect(done.properties["discordChannelId"] == .number("8774786694361674000"))
    #expect(done.buttons.map(\.label) == ["U1", "U2", "U3", "U4", "", "V1", "V2", "V3", "V4"])
    let hash = try #require(done.messageHash)
    #expect(done.buttons.allSatisfy { $0.customId.contains("::\(hash)") })
    #expect(done.imageUrl?.contains("_\(hash).png?ex=") == true)
  }

  @Test func failingPromptsEndInFailureWithAReason() throws {
    let id = try imagine("please fail now")
    gateway.clock.advance(by: 11)
    let failed = try task(id)
    #expect(failed.status == .failure)
    #expect(failed.failReason == "[Invalid parameter] Invalid value")
  }

  @Test(arguments: LineageStyle.allCases)
  func childrenCarryTheChosenLineageTrace(style: LineageStyle) throws {
    let gateway = SimulatorGateway(
      configuration: SimulatorConfiguration(taskSeconds: 1, imageSize: .small, lineageStyle: style))
    let parentId = try imagine(on: gateway)
    gateway.clock.advance(by: 2)
    let parent = try task(parentId, on: gateway)
    let u3 = try ButtonSelector.resolve("U3", in: parent.buttons).customId
    let answer = try json(
      call("POST", "/mj/submit/action", #"{"customId":"\#(u3)","taskId":"\#(parentId)"}"#, on: gateway))
    let childId = try #require(answer["result"]?.textValue)
    gateway.clock.advance(by: 2)
    let child = try task(childId, on: gateway)
    #expect(child.action == .upscale)
    switch style {
    case .parentId:
      #expect(child.parentId == parentId)
      #expect(child.properties["custom_id"]?.stringValue == u3)
      #expect(child.properties["action_index"] == .number("3"))
      #expect(child.properties["referencedMessageId"] == nil)
    case .referencedMessage:
      #expect(child.parentId == nil)
      #expect(child.properties["referencedMessageId"]?.textValue == parent.messageId)
      #expect(child.properties["custom_id"] == nil)
    case .hashOnly:
      #expect(child.parentId == nil)
      #expect(child.properties["referencedMessageId"] == nil)
      #expect(child.properties["custom_id"]?.stringValue?.hasSuffix("::\(parent.messageHash ?? "?")") == true)
    }
  }

  @Test func aSubmitStateChoosesTheLineageOfOneTask() throws {
    let gateway = SimulatorGateway(configuration: SimulatorConfiguration(taskSeconds: 0, imageSize: .small))
    let parentId = try imagine(on: gateway)
    let v1 = try ButtonSelector.resolve("V1", in: try task(parentId, on: gateway).buttons).customId
    let body = #"{"customId":"\#(v1)","taskId":"\#(parentId)","state":"lineage:hashOnly"}"#
    let childId = try #require(try json(call("POST", "/mj/submit/action", body, on: gateway))["result"]?.textValue)
    let child = try task(childId, on: gateway)
    #expect(child.action == .variation)
    #expect(child.parentId == nil)
    #expect(child.state == "lineage:hashOnly")
  }

  @Test func imageLinksExpireAndRefetchingGivesAFreshOne() throws {
    let gateway = SimulatorGateway(
      configuration: SimulatorConfiguration(taskSeconds: 0, imageSize: .small, linkLifetimeSeconds: 60))
    let id = try imagine(on: gateway)
    let link = try #require(try task(id, on: gateway).imageUrl)
    let path = String(link.drop(while: { $0 != "/" }).dropFirst(2).drop(while: { $0 != "/" }))
    let image = call("GET", path, on: gateway)
    #expect(image.status == 200)
    #expect(image.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    #expect(PNGHeader(image.body)?.size == [256, 256])
    gateway.clock.advance(by: 120)
    #expect(call("GET", path, on: gateway).status == 403)
    let fresh = try #require(try task(id, on: gateway).imageUrl)
    #expect(fresh != link)
    let freshPath = String(fresh.drop(while: { $0 != "/" }).dropFirst(2).drop(while: { $0 != "/" }))
    #expect(call("GET", freshPath, on: gateway).body == image.body)
    #expect(call("GET", freshPath.replacingOccurrences(of: "hm=", with: "hm=0"), on: gateway).status == 403)
  }

  @Test func upscalesAreOneQuadrantAndImagesAreDeterministic() throws {
    let gateway = SimulatorGateway(
      configuration: SimulatorConfiguration(taskSeconds: 0, imageSize: SimulatedImageSize(width: 290, height: 162)))
    let other = SimulatorGateway(configuration: gateway.configuration)
    let grid = try task(try imagine(on: gateway), on: gateway)
    let u4 = try ButtonSelector.resolve("U4", in: grid.buttons).customId
    let childId = try #require(
      try json(call("POST", "/mj/submit/action", #"{"customId":"\#(u4)","taskId":"\#(grid.id)"}"#, on: gateway))[
        "result"]?.textValue)
    let upscale = try task(childId, on: gateway)
    func download(_ url: String?, from gateway: SimulatorGateway) -> Data {
      let path = String((url ?? "").drop(while: { $0 != "/" }).dropFirst(2).drop(while: { $0 != "/" }))
      return call("GET", path, on: gateway).body
    }
    let gridBytes = download(grid.imageUrl, from: gateway)
    #expect(PNGHeader(gridBytes)?.size == [290, 162])
    #expect(PNGHeader(download(upscale.imageUrl, from: gateway))?.size == [145, 81])
    let twin = try task(try imagine(on: other), on: other)
    #expect(download(twin.imageUrl, from: other) == gridBytes)
    #expect(upscale.buttons.map(\.label).contains("Custom Zoom"))
  }

  @Test func customZoomWaitsForTheModal() throws {
    let gateway = SimulatorGateway(configuration: SimulatorConfiguration(taskSeconds: 0, imageSize: .small))
    let grid = try task(try imagine(on: gateway), on: gateway)
    let u1 = try ButtonSelector.resolve("U1", in: grid.buttons).customId
    let upscaleId = try #require(
      try json(call("POST", "/mj/submit/action", #"{"customId":"\#(u1)","taskId":"\#(grid.id)"}"#, on: gateway))[
        "result"]?.textValue)
    let upscale = try task(upscaleId, on: gateway)
    let inpaint = try ButtonSelector.resolve("Vary (Region)", in: upscale.buttons).customId
    let answer = try json(
      call("POST", "/mj/submit/action", #"{"customId":"\#(inpaint)","taskId":"\#(upscaleId)"}"#, on: gateway))
    #expect(answer["code"] == .number("21"))
    #expect(answer["description"] == .string("Waiting for window confirm"))
    let waitingId = try #require(answer["result"]?.stringValue)
    #expect(try task(waitingId, on: gateway).status == .modal)
    let noMask = try json(call("POST", "/mj/submit/modal", #"{"taskId":"\#(waitingId)","prompt":"x"}"#, on: gateway))
    #expect(noMask["code"] == .number("4"))
    let ok = try json(
      call("POST", "/mj/submit/modal", #"{"taskId":"\#(waitingId)","maskBase64":"iVBORw0KGgo="}"#, on: gateway))
    #expect(ok["code"] == .number("1"))
    #expect(try task(waitingId, on: gateway).status == .success)
    let again = try json(
      call("POST", "/mj/submit/modal", #"{"taskId":"\#(waitingId)","maskBase64":"iVBORw0KGgo="}"#, on: gateway))
    #expect(again["code"] == .number("4"))
  }

  @Test func describeButtonsImagineTheChosenPrompt() throws {
    let gateway = SimulatorGateway(configuration: SimulatorConfiguration(taskSeconds: 0, imageSize: .small))
    let png = "data:image/png;base64,iVBORw0KGgo="
    let describeId = try #require(
      try json(call("POST", "/mj/submit/describe", #"{"base64":"\#(png)"}"#, on: gateway))["result"]?.textValue)
    let described = try task(describeId, on: gateway)
    let third = try #require(described.finalPrompt?.components(separatedBy: "\n\n")[2])
    let childId = try #require(
      try json(
        call(
          "POST", "/mj/submit/action", #"{"customId":"MJ::Job::PicReader::3","taskId":"\#(describeId)"}"#, on: gateway))[
          "result"]?.textValue)
    let child = try task(childId, on: gateway)
    #expect(child.action == .imagine)
    #expect(third.hasSuffix(child.prompt ?? "?"))
  }

  @Test func routesKeysAndPrefixes() throws {
    let locked = SimulatorGateway(configuration: SimulatorConfiguration(apiKey: "sk-right", imageSize: .small))
    #expect(
      locked.respond(
        to: SimulatorRequest(method: "POST", uri: "/mj/submit/imagine", body: Data(#"{"prompt":"a"}"#.utf8))
      ).status == 401)
    let allowed = SimulatorRequest(
      method: "POST", uri: "/mj-relax/mj/submit/imagine", headers: [("Authorization", "Bearer sk-right")],
      body: Data(#"{"prompt":"a"}"#.utf8))
    #expect(locked.respond(to: allowed).status == 200)
    #expect(call("POST", "/slow/mj/submit/imagine", #"{"prompt":"a"}"#).status == 404)
    #expect(call("GET", "/mj/submit/imagine").status == 404)
    #expect(call("POST", "/mj/submit/imagine", "not json").status == 200)
    #expect(try json(call("POST", "/mj/submit/imagine", "not json"))["code"] == .number("4"))
  }

  @Test func randomFaultsRepeatForTheSameSeed() {
    let plan = FaultPlan(serverErrorRate: 0.3, rateLimitRate: 0.2, seed: 7)
    let statuses = (0..<2).map { _ in
      let gateway = SimulatorGateway(configuration: SimulatorConfiguration(imageSize: .small, faults: plan))
      return (0..<30).map { _ in gateway.respond(to: SimulatorRequest(method: "GET", uri: "/mj/task/1/fetch")).status }
    }
    #expect(statuses[0] == statuses[1])
    #expect(statuses[0].contains(502))
    #expect(statuses[0].contains(429))
    #expect(statuses[0].contains(404))
  }
}

/// Width and height from a PNG's IHDR, read by hand so these tests do not depend on a decoder.
struct PNGHeader {
  let size: [Int]

  init?(_ data: Data) {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
    let number = { (offset: Int) in bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    size = [number(16), number(20)]
  }
}
