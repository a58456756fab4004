import ArgumentParser

/// What every submit command takes: the gateway, the archive that records the submit, waiting, output.
struct SubmitOptions: ParsableArguments {
  @OptionGroup var gateway: GatewayOptions
  @OptionGroup var archive: ArchiveOptions
  @OptionGroup var waitOptions: WaitOptions
  @OptionGroup var output: OutputOptions
}
