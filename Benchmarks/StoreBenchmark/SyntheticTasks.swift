import Foundation
import MidjourneyAPI

/// Realistic synthetic tasks: prompts from a word list with real parameter mixes, about 5% CJK.
struct SyntheticTasks {
  static let subjects = """
    cat fox wolf owl dragon knight samurai astronaut robot girl boy woman man portrait city street forest mountain \
    lake river ocean beach desert castle temple lighthouse ship train car motorcycle bicycle garden flower rose \
    tulip cherry blossom tree waterfall volcano glacier canyon village market cafe library kitchen bedroom cathedral \
    bridge tower skyscraper spaceship planet moon galaxy nebula comet whale dolphin shark octopus jellyfish butterfly \
    bee hummingbird eagle horse deer bear tiger lion elephant giraffe panda penguin rabbit squirrel frog snake turtle \
    witch wizard elf fairy mermaid vampire zombie ghost skeleton king queen princess warrior monk geisha cyborg android
    """.split(whereSeparator: \.isWhitespace).map(String.init)
  static let modifiers = """
    red blue green golden silver black white purple orange pink neon pastel vibrant muted dark bright misty foggy rainy \
    snowy sunny cloudy stormy ancient futuristic cyberpunk steampunk medieval victorian baroque minimalist surreal \
    abstract realistic photorealistic cinematic dramatic moody dreamy ethereal whimsical cozy gloomy epic tiny giant \
    glowing shimmering crystal wooden stone metal glass paper watercolor oil ink charcoal pencil digital isometric \
    volumetric lighting golden hour blue hour backlit rim light soft light hard light bokeh macro wide angle telephoto \
    35mm 85mm film grain kodak portra fujifilm polaroid hdr octane render unreal engine studio ghibli pixar anime \
    illustration poster concept art matte painting ukiyo-e art nouveau art deco bauhaus vaporwave synthwave noir
    """.split(whereSeparator: \.isWhitespace).map(String.init)
  static let cjk = [
    "一只赛博朋克猫", "水墨山水画", "穿着汉服的少女", "夜晚的霓虹城市", "樱花树下的和服女孩", "古风宫殿", "一只黑猫坐在窗台上",
    "未来主义的机器人", "秋天的枫叶", "雪山下的小木屋", "月光下的湖面", "中国龙", "猫の写真", "桜と富士山", "한국 전통 궁궐",
  ]
  static let ratios = ["1:1", "16:9", "9:16", "3:2", "2:3", "4:5", "21:9"]
  static let versions = ["6.1", "6", "5.2", "7"]

  var generator: SystemRandomNumberGenerator = SystemRandomNumberGenerator()
  var random: UInt64 = 0x2545_F491_4F6C_DD1D

  mutating func next(_ bound: Int) -> Int {
    random ^= random << 13
    random ^= random >> 7
    random ^= random << 17
    return Int(random % UInt64(bound))
  }

  mutating func prompt() -> String {
    var words: [String] = []
    if next(100) < 5 {
      words.append(Self.cjk[next(Self.cjk.count)])
    }
    words.append(Self.modifiers[next(Self.modifiers.count)])
    words.append(Self.subjects[next(Self.subjects.count)])
    for _ in 0..<(3 + next(10)) {
      words.append(next(4) == 0 ? Self.subjects[next(Self.subjects.count)] : Self.modifiers[next(Self.modifiers.count)])
    }
    var prompt = words.joined(separator: " ")
    prompt += " --ar \(Self.ratios[next(Self.ratios.count)])"
    prompt += next(10) == 0 ? " --niji 6" : " --v \(Self.versions[next(Self.versions.count)])"
    if next(3) == 0 { prompt += " --s \(next(1000))" }
    if next(5) == 0 { prompt += " --c \(next(100))" }
    if next(6) == 0 { prompt += " --seed \(next(4_294_967_295))" }
    if next(8) == 0 { prompt += " --sref https://s.mj.run/\(String(next(1 << 30), radix: 36)) \(next(100_000))" }
    if next(10) == 0 { prompt += " --no \(Self.modifiers[next(Self.modifiers.count)]), \(Self.subjects[next(Self.subjects.count)])" }
    if next(12) == 0 { prompt += " --style raw" }
    if next(40) == 0 { prompt += " --tile" }
    return prompt
  }

  /// Task number `index`, as a gateway would send it.
  mutating func task(_ index: Int) -> GatewayTask {
    let id = String(14_001_934_816_969_359 + UInt64(index) * 7_919)
    let hash = String(format: "%08x-%04x-4%03x-a%03x-%012x", index, next(65536), next(4096), next(4096), next(1 << 30))
    let prompt = prompt()
    let roll = next(100)
    let action = roll < 60 ? "IMAGINE" : roll < 85 ? "UPSCALE" : "VARIATION"
    let submit = Int64(1_700_000_000_000) + Int64(index) * 60_000
    var properties = JSONObject()
    properties["botType"] = "MID_JOURNEY"
    properties["discordChannelId"] = .number("8774786694361674000")
    properties["finalPrompt"] = .string(prompt)
    properties["messageHash"] = .string(hash)
    properties["messageId"] = .string(String(1_348_306_030_429_470_862 + UInt64(index)))
    properties["progressMessageId"] = .string(String(1_348_305_922_325_479_495 + UInt64(index)))
    var object = JSONObject()
    object["id"] = .string(id)
    object["action"] = .string(action)
    object["prompt"] = .string(prompt)
    object["promptEn"] = .string(prompt)
    object["description"] = "Submit success"
    object["state"] = ""
    object["submitTime"] = .integer(submit)
    object["startTime"] = .integer(submit + 2_000)
    object["finishTime"] = .integer(submit + 30_000)
    object["imageUrl"] = .string("https://img.example/attachments/1/\(index)/user_\(hash).png?ex=67cefb57&is=67cda9d7&hm=b87e")
    object["status"] = "SUCCESS"
    object["progress"] = "100%"
    object["failReason"] = ""
    if action != "IMAGINE", index > 0 { object["parentId"] = .string(String(14_001_934_816_969_359 + UInt64(next(index)) * 7_919)) }
    object["properties"] = .object(properties)
    let buttons: [TaskButton] =
      action == "UPSCALE"
      ? [TaskButton(customId: "MJ::JOB::upsample_v6_2x_subtle::1::\(hash)::SOLO", label: "Upscale (Subtle)"),
         TaskButton(customId: "MJ::JOB::low_variation::1::\(hash)::SOLO", label: "Vary (Subtle)")]
      : (1...4).map { TaskButton(customId: "MJ::JOB::upsample::\($0)::\(hash)", label: "U\($0)") }
        + (1...4).map { TaskButton(customId: "MJ::JOB::variation::\($0)::\(hash)", label: "V\($0)") }
    object["buttons"] = .array(buttons.map(\.json))
    let value = JSONValue.object(object)
    // The parse is what a real fetch costs too; the benchmark measures storing, so it happens up front.
    return (try? GatewayTask(json: value, raw: Data(value.serialized().utf8))) ?? { fatalError("synthetic task did not parse") }()
  }

  /// A query of 1–3 words from the list.
  mutating func query() -> String {
    let count = 1 + next(3)
    return (0..<count).map { _ in
      next(2) == 0 ? Self.subjects[next(Self.subjects.count)] : Self.modifiers[next(Self.modifiers.count)]
    }.joined(separator: " ")
  }
}
