import Foundation
import GRDB

/// A database's schema as comparable text: every object in `sqlite_schema` with its SQL normalised
/// (comments dropped, white space collapsed, none around punctuation), and `PRAGMA user_version`.
///
/// Normalised, because SQLite keeps each statement's text as written: the column comments of `schema.sql`
/// and of a migration differ, and `ALTER TABLE … ADD COLUMN` splices its column into the stored text.
struct SchemaDump: Equatable, CustomStringConvertible {
  /// `type name SQL` for each object, by type and name.
  let objects: [String]
  let version: Int

  /// The top-level `schema.sql`.
  static let schemaFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "../../../schema.sql")

  init(database path: String) throws {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    (objects, version) = try queue.read { db in
      let rows = try Row.fetchAll(
        db, sql: "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name")
      let objects = rows.map { row in
        "\(row["type"] as String) \(row["name"] as String) \(Self.normalised(row["sql"] as String? ?? ""))"
      }
      return (objects, try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
    }
  }

  var description: String { (objects + ["user_version \(version)"]).joined(separator: "\n") }

  /// `sql` without `--` comments, with each run of white space one space, and none beside `(`, `)` or `,`.
  static func normalised(_ sql: String) -> String {
    var output = ""
    var quote: Character?
    var inComment = false
    var pendingSpace = false
    var previous: Character = " "
    for character in sql {
      defer { previous = character }
      if inComment {
        if character.isNewline { inComment = false }
        continue
      }
      if let open = quote {
        output.append(character)
        if character == open { quote = nil }
        continue
      }
      if character == "-" && previous == "-" && output.last == "-" {
        output.removeLast()
        if output.last == " " { output.removeLast() }
        inComment = true
        pendingSpace = true
        continue
      }
      if character.isWhitespace {
        pendingSpace = true
        continue
      }
      let tight: Set<Character> = ["(", ")", ","]
      if pendingSpace && !output.isEmpty && !tight.contains(character) && !tight.contains(output.last ?? " ") {
        output.append(" ")
      }
      pendingSpace = false
      if character == "'" || character == "\"" { quote = character }
      output.append(character)
    }
    return output
  }
}
