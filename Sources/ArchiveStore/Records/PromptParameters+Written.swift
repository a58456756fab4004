extension PromptParameters {
  /// The parameters as a prompt writes them, one word each (the one rendering `show` and the gallery share).
  ///
  /// `--ar 16:9`, `--v 6.1`, `--s 250`, `--tile`, then any not listed by name, sorted. A parameter given
  /// without a value (or as `default`) is written bare.
  public var written: [String] {
    let named: [(String, String?)] = [
      ("ar", aspectRatio), ("v", version), ("niji", niji), ("s", stylize), ("c", chaos), ("w", weird),
      ("q", quality), ("seed", seed), ("sref", sref), ("sw", styleWeight), ("cref", cref),
      ("cw", characterWeight), ("iw", imageWeight), ("no", no), ("style", style),
    ]
    var words = named.compactMap { name, value in
      value.map { $0.isEmpty || $0 == "default" ? "--\(name)" : "--\(name) \($0)" }
    }
    words += flags.map { "--\($0)" }
    words += other.sorted { $0.key < $1.key }.map { $0.value.isEmpty ? "--\($0.key)" : "--\($0.key) \($0.value)" }
    return words
  }
}
