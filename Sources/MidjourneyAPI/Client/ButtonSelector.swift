import Foundation

/// Turns what a user types after `action <task>` (U2, V3, reroll, a label, a customId) into one of the task's buttons.
public enum ButtonSelector {
  /// Finds the button meant by `requested`.
  ///
  /// - Parameters:
  ///   - requested: `U1`–`U4`, `V1`–`V4`, `reroll`, a button label such as `Vary (Strong)`, an emoji, or a full `MJ::…` customId.
  ///   - buttons: The parent task's buttons.
  /// - Returns: The matching button; a full customId is accepted even when the task did not list it.
  /// - Throws: `GatewayError.noSuchButton` naming the buttons that do exist.
  public static func resolve(_ requested: String, in buttons: [TaskButton]) throws(GatewayError) -> TaskButton {
    let wanted = requested.trimmingCharacters(in: .whitespaces)
    if wanted.hasPrefix("MJ::") {
      return buttons.first { $0.customId == wanted } ?? TaskButton(customId: wanted, label: "")
    }
    let upper = wanted.uppercased()
    if upper.count == 2, let index = Int(upper.dropFirst()), (1...4).contains(index) {
      let kind = upper.hasPrefix("U") ? "upsample" : upper.hasPrefix("V") ? "variation" : nil
      if let kind,
        let button = buttons.first(where: {
          $0.label.uppercased() == upper || $0.customId.contains("::\(kind)::\(index)::")
        })
      {
        return button
      }
    }
    if ["REROLL", "🔄", "R"].contains(upper), let button = buttons.first(where: { $0.customId.contains("::reroll::") }) {
      return button
    }
    if let button = buttons.first(where: {
      !$0.label.isEmpty && $0.label.caseInsensitiveCompare(wanted) == .orderedSame
    })
      ?? buttons.first(where: { !$0.emoji.isEmpty && $0.emoji == wanted })
    {
      return button
    }
    throw GatewayError.noSuchButton(requested: wanted, available: buttons.map(shortName))
  }

  /// How a button is offered back to the user: `reroll` for the reroll button, else its display name.
  public static func shortName(_ button: TaskButton) -> String {
    button.customId.contains("::reroll::") ? "reroll" : button.displayName
  }
}
