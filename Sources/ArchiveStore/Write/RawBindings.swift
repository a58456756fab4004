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
  /// The first binding SQLite refused (too big, out of memory), reported by `execute()`.
  private var refusal: (code: CInt, parameter: CInt)?

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

  /// Keeps the first result that is not `SQLITE_OK`.
  private mutating func check(_ code: CInt) {
    if code != SQLITE_OK && refusal == nil { refusal = (code, index) }
  }

  mutating func bind(_ value: String?) {
    defer { index += 1 }
    guard var value else {
      check(sqlite3_bind_null(statement.sqliteStatement, index))
      return
    }
    let code = value.withUTF8 { bytes -> CInt in
      // SQLite takes a 32-bit length: a longer value is refused, never cut (CInt() of it would trap).
      guard bytes.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
      if bytes.baseAddress != nil {
        let (base, lifetime) = place(UnsafeRawBufferPointer(bytes))
        return sqlite3_bind_text(
          statement.sqliteStatement, index, base.assumingMemoryBound(to: CChar.self), CInt(bytes.count), lifetime)
      }
      return sqlite3_bind_text(statement.sqliteStatement, index, "", 0, Self.transient)
    }
    check(code)
  }

  mutating func bind(_ value: Int64?) {
    defer { index += 1 }
    if let value {
      check(sqlite3_bind_int64(statement.sqliteStatement, index, value))
    } else {
      check(sqlite3_bind_null(statement.sqliteStatement, index))
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
    let code = value.withUnsafeBytes { bytes -> CInt in
      guard bytes.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
      if bytes.baseAddress != nil, bytes.count > 0 {
        let (base, lifetime) = place(bytes)
        return sqlite3_bind_blob(statement.sqliteStatement, index, base, CInt(bytes.count), lifetime)
      }
      return sqlite3_bind_zeroblob(statement.sqliteStatement, index, 0)
    }
    check(code)
  }

  /// Runs the statement with the values bound so far.
  ///
  /// - Throws: `StoreError.database` naming the value SQLite refused to bind (nothing is run then).
  func execute() throws {
    if let refusal {
      if arena != nil {
        sqlite3_clear_bindings(statement.sqliteStatement)
        arena?.reset()
      }
      throw StoreError.database(
        "SQLite refused value \(refusal.parameter) of a statement: \(String(cString: sqlite3_errstr(refusal.code)))")
    }
    guard let arena else { return try statement.execute() }
    // No binding may point into the arena once it is reused.
    defer {
      sqlite3_clear_bindings(statement.sqliteStatement)
      arena.reset()
    }
    try statement.execute()
  }
}
