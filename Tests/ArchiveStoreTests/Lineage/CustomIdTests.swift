import Foundation
import Testing

@testable import ArchiveStore

/// The byte scan splits custom ids exactly as Foundation's `components(separatedBy: "::")` did.
@Suite struct CustomIdTests {
  @Test(arguments: [
    "MJ::JOB::upsample::2::26d56b92-4ed6-45e2-8561-563797923135",
    "MJ::Outpaint::50::1::26d56b92-4ed6-45e2-8561-563797923135::SOLO",
    "MJ::CustomZoom::26d56b92-4ed6-45e2-8561-563797923135", "", "::", ":::", "a:::b", "a::::b", "::a::", "a:b::c",
    "a1", "MJ::JOB::🔄::1::x", "MJ::Inpaint::1::数字::SOLO",
  ])
  func splitsLikeFoundation(_ customId: String) {
    #expect(CustomId.parts(customId).map(String.init) == customId.components(separatedBy: "::"))
  }
}
