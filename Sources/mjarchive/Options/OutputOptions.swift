import ArgumentParser

/// `--json` for commands whose output is data.
struct OutputOptions: ParsableArguments {
  @Flag(help: "Print JSON instead of text.")
  var json = false
}
