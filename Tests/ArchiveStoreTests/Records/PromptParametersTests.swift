import Testing

@testable import ArchiveStore

@Suite struct PromptParametersTests {
  @Test func finalPromptOfTheRealSample() {
    let parameters = PromptParameters(parsing: "cat --v 6.1 --sref <https://s.mj.run/ktqQpnwPoPk>")
    #expect(parameters.text == "cat")
    #expect(parameters.version == "6.1")
    #expect(parameters.sref == "https://s.mj.run/ktqQpnwPoPk")
  }

  @Test func valuesKeepHyphensCommasAndURLs() {
    let parameters = PromptParameters(
      parsing:
        "https://s.mj.run/a1 <https://s.mj.run/b2> red fox, snow-covered --ar 16:9 --no red-car, blue --sref https://s.mj.run/x 12345 --sw 250 --seed 42 --tile --raw --style raw --s 750 --c 20 --w 100 --q .5 --iw 1.5 --cref https://x.y/z.png --cw 50 --p abc --fast"
    )
    #expect(parameters.imagePrompts == ["https://s.mj.run/a1", "https://s.mj.run/b2"])
    #expect(parameters.text == "red fox, snow-covered")
    #expect(parameters.aspectRatio == "16:9")
    #expect(parameters.no == "red-car, blue")
    #expect(parameters.sref == "https://s.mj.run/x 12345")
    #expect(parameters.styleWeight == "250")
    #expect(parameters.seed == "42")
    #expect(parameters.tile)
    #expect(parameters.flags == ["tile", "raw", "fast"])
    #expect(parameters.style == "raw")
    #expect(parameters.stylize == "750")
    #expect(parameters.chaos == "20")
    #expect(parameters.weird == "100")
    #expect(parameters.quality == ".5")
    #expect(parameters.imageWeight == "1.5")
    #expect(parameters.cref == "https://x.y/z.png")
    #expect(parameters.characterWeight == "50")
    #expect(parameters.other == ["p": "abc"])
  }

  @Test func longNamesEmDashesAndNiji() {
    let parameters = PromptParameters(parsing: "anime girl —aspect 2:3 --version 5.2 --niji --stylize 100")
    #expect(parameters.aspectRatio == "2:3")
    #expect(parameters.version == "5.2")
    #expect(parameters.niji == "default")
    #expect(parameters.stylize == "100")
    #expect(PromptParameters(parsing: "cat --niji 6").niji == "6")
  }

  @Test func doubleDashesInsideWordsAreText() {
    let parameters = PromptParameters(parsing: "a well--known cat -- dog --ar 1:1")
    #expect(parameters.text == "a well--known cat -- dog")
    #expect(parameters.aspectRatio == "1:1")
  }

  @Test func ideographicAndNoBreakSpacesSeparateParameters() {
    let parameters = PromptParameters(parsing: "一只黑猫\u{3000}--ar 16:9\u{00A0}--v 6.1\u{3000}--no 狗")
    #expect(parameters.text == "一只黑猫")
    #expect(parameters.aspectRatio == "16:9")
    #expect(parameters.version == "6.1")
    #expect(parameters.no == "狗")
  }

  @Test func repeatedSrefsAccumulate() {
    #expect(PromptParameters(parsing: "x --sref 1 --sref 2").sref == "1 2")
  }
}
