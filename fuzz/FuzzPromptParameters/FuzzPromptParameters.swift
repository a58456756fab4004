import ArchiveStore

/// One fuzzing input: the prompt-parameter parser (`--ar 16:9 --v 6.1 --no cars …`) on any text.
///
/// Beyond "never crashes": parsing is deterministic, and every word of a value it finds is in the prompt.
///
/// Also exported as `LLVMFuzzerTestOneInput`, the name libFuzzer's runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPromptParameters(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let prompt = String(decoding: UnsafeBufferPointer(start: start, count: start == nil ? 0 : count), as: UTF8.self)
  let parameters = PromptParameters(parsing: prompt)
  guard PromptParameters(parsing: prompt) == parameters else { fatalError("parsing the same prompt twice differed") }
  // A repeated parameter's values are joined with spaces, so each word, not the whole value, is in the prompt.
  // A bare `--niji` is recorded as "default".
  let niji = parameters.niji == "default" ? nil : parameters.niji
  for value in [parameters.aspectRatio, parameters.version, niji, parameters.seed, parameters.sref] {
    for word in (value ?? "").split(separator: " ") where !prompt.contains(word) {
      fatalError("a value that is not in the prompt: \(word)")
    }
  }
  return 0
}
