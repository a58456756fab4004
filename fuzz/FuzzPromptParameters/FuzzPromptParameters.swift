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
    // Compared as UTF-8 bytes: the parser splits bytes, so a word may start with a combining mark
    // that, in the prompt, belongs to the character before it.
    for word in (value ?? "").utf8.split(separator: 0x20) where !contains(Array(prompt.utf8), Array(word)) {
      fatalError("a value that is not in the prompt: \(String(decoding: word, as: UTF8.self))")
    }
  }
  return 0
}

/// Whether `needle` occurs in `haystack`.
private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
  guard !needle.isEmpty else { return true }
  guard haystack.count >= needle.count else { return false }
  return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
}
