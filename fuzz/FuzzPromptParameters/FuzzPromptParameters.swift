import ArchiveStore

/// libFuzzer's entry point: the prompt-parameter parser (`--ar 16:9 --v 6.1 --no cars …`) on any text.
///
/// Beyond "never crashes": parsing is deterministic, and every value it finds is text of the prompt.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPromptParameters(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let prompt = String(decoding: UnsafeBufferPointer(start: start, count: start == nil ? 0 : count), as: UTF8.self)
  let parameters = PromptParameters(parsing: prompt)
  guard PromptParameters(parsing: prompt) == parameters else { fatalError("parsing the same prompt twice differed") }
  for value in [parameters.aspectRatio, parameters.version, parameters.niji, parameters.seed, parameters.sref] {
    if let value, !value.isEmpty, !prompt.contains(value) { fatalError("a value that is not in the prompt: \(value)") }
  }
  return 0
}
