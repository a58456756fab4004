import Foundation
import GRDB
import GRDBSQLite

/// Binds values to a cached statement straight through SQLite's C API, in parameter order.
///
/// GRDB's `StatementArguments` box every value in an existential and convert it to a
/// `DatabaseValue` before binding: a fifth of ingest time in the profile. The hot inserts of
/// `store` bind here instead, then run the statement through GRDB as usual.
struct RawBindings {
  private let statement: Statement
  private var index: CInt = 1

  /// Starts binding `statement` from its first parameter, clearing what it held.
  init(_ statement: Statement) {
    // Resets and clears the bindings, and tells GRDB the arguments are in place, so `execute()` keeps ours.
    statement.setUncheckedArguments(StatementArguments())
    self.statement = statement
  }

  /// SQLite copies the bytes at once, so the Swift buffer need not outlive the call.
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  mutating func bind(_ value: String?) {
    defer { index += 1 }
    guard var value else {
      sqlite3_bind_null(statement.sqliteStatement, index)
      return
    }
    value.withUTF8 { bytes in
      if let base = bytes.baseAddress {
        _ = sqlite3_bind_text(
          statement.sqliteStatement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
          CInt(bytes.count), Self.transient)
      } else {
        _ = sqlite3_bind_text(statement.sqliteStatement, index, "", 0, Self.transient)
      }
    }
  }

  mutating func bind(_ value: Int64?) {
    defer { index += 1 }
    if let value {
      sqlite3_bind_int64(statement.sqliteStatement, index, value)
    } else {
      sqlite3_bind_null(statement.sqliteStatement, index)
    }
  }

  mutating func bind(_ value: Int?) {
    bind(value.map(Int64.init))
  }

  mutating func bind(_ value: Bool) {
    bind(Int64(value ? 1 : 0))
  }

  mutating func bind(_ value: Data) {
    defer { index += 1 }
    value.withUnsafeBytes { bytes in
      if let base = bytes.baseAddress, bytes.count > 0 {
        _ = sqlite3_bind_blob(statement.sqliteStatement, index, base, CInt(bytes.count), Self.transient)
      } else {
        _ = sqlite3_bind_zeroblob(statement.sqliteStatement, index, 0)
      }
    }
  }

  /// Runs the statement with the values bound so far.
  func execute() throws {
    try statement.execute()
  }
}
