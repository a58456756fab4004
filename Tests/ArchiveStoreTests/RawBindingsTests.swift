import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import ArchiveStore

@Suite struct RawBindingsTests {
  /// Regression: a value SQLite refused to bind (too big) was ignored, and the statement ran with a NULL or the
  /// previous row's value in its place.
  @Test func aValueSQLiteRefusesToBindFailsTheStatementByName() throws {
    let queue = try DatabaseQueue()
    try queue.write { db in
      try db.execute(sql: "CREATE TABLE t (a TEXT, b BLOB)")
      sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_LENGTH, 100)
      let insert = try db.makeStatement(sql: "INSERT INTO t VALUES (?, ?)")
      for arena in [nil, BindingArena()] {
        var bindings = RawBindings(insert, arena: arena)
        bindings.bind("fits")
        bindings.bind(Data(count: 200))
        #expect(throws: StoreError.database("SQLite refused value 2 of a statement: string or blob too big")) {
          try bindings.execute()
        }
        var text = RawBindings(insert, arena: arena)
        text.bind(String(repeating: "x", count: 200))
        text.bind(Data([1]))
        #expect(throws: StoreError.database("SQLite refused value 1 of a statement: string or blob too big")) {
          try text.execute()
        }
        var good = RawBindings(insert, arena: arena)
        good.bind("fits")
        good.bind(Data([1]))
        try good.execute()
      }
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 2)
    }
  }
}
