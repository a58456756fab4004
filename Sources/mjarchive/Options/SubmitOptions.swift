import ArchiveStore
import ArgumentParser
import Foundation
import Listen

/// What every submit command takes: the gateway, the archive that records the submit, waiting, output.
struct SubmitOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "URL the gateway posts the task to on every change (default: $MJ_NOTIFY_HOOK, else the address `listen` "
        + "gave this archive; `none`: no callback)."))
  var notifyHook: String?

  @OptionGroup var gateway: GatewayOptions
  @OptionGroup var archive: ArchiveOptions
  @OptionGroup var waitOptions: WaitOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if let notifyHook, notifyHook != "none", !Self.isHookURL(notifyHook) {
      throw ValidationError("--notify-hook must be an http or https URL without spaces or control characters")
    }
  }

  /// The callback URL to send with the submit, or nil for none.
  func callbackURL(for store: ArchiveStore) -> String? {
    if let notifyHook { return notifyHook == "none" ? nil : notifyHook }
    if let fromEnvironment = ProcessInfo.processInfo.environment["MJ_NOTIFY_HOOK"], !fromEnvironment.isEmpty {
      return Self.isHookURL(fromEnvironment) ? fromEnvironment : nil
    }
    return ListenAddress.callbackURL(for: store)
  }

  private static func isHookURL(_ text: String) -> Bool {
    guard text.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7F }), let url = URL(string: text),
      let scheme = url.scheme?.lowercased(), let host = url.host
    else { return false }
    return (scheme == "http" || scheme == "https") && !host.isEmpty
  }
}
