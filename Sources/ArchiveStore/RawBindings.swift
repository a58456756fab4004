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
  private let arena: BindingArena?
  private var index: CInt = 1

  /// Starts binding `statement` from its first parameter, clearing what it held.
  ///
  /// - Parameter arena: where text and blobs are copied to, so SQLite need not allocate its own copy;
  ///   without one, SQLite copies them.
  init(_ statement: Statement, arena: BindingArena? = nil) {
    // Resets and clears the bindings, and tells GRDB the arguments are in place, so `execute()` keeps ours.
    statement.setUncheckedArguments(StatementArguments())
    self.statement = statement
    self.arena = arena
  }

  /// SQLite copies the bytes at once, so the Swift buffer need not outlive the call.
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
  /// SQLite reads the bytes where they are, until the bindings are cleared.
  private static let unmanaged = unsafeBitCast(0, to: sqlite3_destructor_type.self)

  /// The bytes to bind and how SQLite should treat them: a copy in the arena, or the caller's own
  /// bytes for SQLite to copy.
  private func place(_ bytes: UnsafeRawBufferPointer) -> (UnsafeRawPointer, sqlite3_destructor_type) {
    guard let arena else { return (bytes.baseAddress.unsafelyUnwrapped, Self.transient) }
    return (arena.copy(bytes), Self.unmanaged)
  }

  mutating func bind(_ value: String?) {
    defer { index += 1 }
    guard var value else {
      sqlite3_bind_null(statement.sqliteStatement, index)
      return
    }
    value.withUTF8 { bytes in
      if bytes.baseAddress != nil {
        let (base, lifetime) = place(UnsafeRawBufferPointer(bytes))
        _ = sqlite3_bind_text(
          statement.sqliteStatement, index, base.assumingMemoryBound(to: CChar.self), CInt(bytes.count), lifetime)
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
      if bytes.baseAddress != nil, bytes.count > 0 {
        let (base, lifetime) = place(bytes)
        _ = sqlite3_bind_blob(statement.sqliteStatement, index, base, CInt(bytes.count), lifetime)
      } else {
        _ = sqlite3_bind_zeroblob(statement.sqliteStatement, index, 0)
      }
    }
  }

  /// Runs the statement with the values bound so far.
  func execute() throws {
    guard let arena else { return try statement.execute() }
    // No binding may point into the arena once it is reused.
    defer {
      sqlite3_clear_bindings(statement.sqliteStatement)
      arena.reset()
    }
    try statement.execute()
  }
}
