import Foundation
import Testing

@testable import SafeFiles

/// Everything is tried against a victim folder outside the owned one, reached through links planted inside it.
@Suite struct OwnedFolderTests {
  private final class Place {
    let owned: URL
    let victim: URL

    init() throws {
      let base = FileManager.default.temporaryDirectory.appendingPathComponent("owned-\(UUID().uuidString)")
      owned = base.appendingPathComponent("owned")
      victim = base.appendingPathComponent("victim")
      try FileManager.default.createDirectory(at: owned, withIntermediateDirectories: true)
      try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
      try Data("precious".utf8).write(to: victim.appendingPathComponent("a.html"))
    }

    deinit { try? FileManager.default.removeItem(at: owned.deletingLastPathComponent()) }

    func plant(_ relative: String, to target: URL) throws {
      let link = owned.appendingPathComponent(relative)
      try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    }

    var victimUntouched: Bool {
      (try? FileManager.default.contentsOfDirectory(atPath: victim.path)) == ["a.html"]
        && (try? String(contentsOf: victim.appendingPathComponent("a.html"), encoding: .utf8)) == "precious"
    }
  }

  @Test func writesReadsAndRemovesInsideTheFolder() throws {
    let place = try Place()
    let folder = try OwnedFolder(place.owned)
    let written = try folder.write(Array("hello".utf8), to: "t/01/a.html")
    #expect(written.st_size == 5)
    #expect(try String(contentsOf: place.owned.appendingPathComponent("t/01/a.html"), encoding: .utf8) == "hello")
    #expect(try folder.status("t/01/a.html")?.st_ino == written.st_ino)
    #expect(try folder.entries("t/01") == [OwnedFolder.Entry(name: "a.html", kind: .file)])
    #expect(try folder.entries("nothing") == nil)
    #expect(try folder.remove("t/01/a.html"))
    #expect(try !folder.remove("t/01/a.html"))
    #expect(try folder.status("t/01/a.html") == nil)
  }

  @Test func aLinkedSubfolderIsNeitherWrittenNorCleanedThrough() throws {
    let place = try Place()
    try place.plant("t/01", to: place.victim)
    let folder = try OwnedFolder(place.owned)
    let link = place.owned.appendingPathComponent("t/01").path
    #expect(throws: OwnedFolderError.symbolicLink(path: link)) { try folder.write(Array("x".utf8), to: "t/01/a.html") }
    #expect(throws: OwnedFolderError.symbolicLink(path: link)) { try folder.remove("t/01/a.html") }
    #expect(throws: OwnedFolderError.symbolicLink(path: link)) { try folder.entries("t/01") }
    #expect(throws: OwnedFolderError.symbolicLink(path: link)) { try folder.openForReading("t/01/a.html") }
    let source = open("/etc/hostname", O_RDONLY)
    defer { close(source) }
    #expect(throws: OwnedFolderError.symbolicLink(path: link)) { try folder.hardLink(source, to: "t/01/a.html") }
    #expect(try folder.entries("t") == [OwnedFolder.Entry(name: "01", kind: .symbolicLink)])
    #expect(place.victimUntouched)
  }

  @Test func aLinkInPlaceOfAFileIsReplacedNotWrittenThrough() throws {
    let place = try Place()
    try place.plant("index.html", to: place.victim.appendingPathComponent("a.html"))
    let folder = try OwnedFolder(place.owned)
    #expect(try folder.status("index.html").map { $0.st_mode & S_IFMT } == S_IFLNK)
    #expect(throws: OwnedFolderError.symbolicLink(path: place.owned.appendingPathComponent("index.html").path)) {
      try folder.openForReading("index.html")
    }
    try folder.write(Array("page".utf8), to: "index.html")
    #expect(try folder.status("index.html").map { $0.st_mode & S_IFMT } == S_IFREG)
    #expect(place.victimUntouched)
    try place.plant("b.html", to: place.victim.appendingPathComponent("a.html"))
    #expect(try folder.remove("b.html"))
    #expect(place.victimUntouched)
  }

  @Test(arguments: [
    "../victim/a.html", "t/../../victim/a.html", "/etc/passwd", "", "t//a", "./a", "a\u{0}b", "..", ".", "t/..", "t/.",
    "t/",
  ])
  func pathsThatCouldLeaveTheFolderAreRefused(path: String) throws {
    let place = try Place()
    let folder = try OwnedFolder(place.owned)
    #expect(throws: OwnedFolderError.unsafePath(path)) { try folder.write(Array("x".utf8), to: path) }
    #expect(throws: OwnedFolderError.unsafePath(path)) { try folder.remove(path) }
    #expect(place.victimUntouched)
  }

  @Test(arguments: ["...", ".a", "..a", "a..", "t/.../a", "t/.hidden"])
  func namesOfDotsThatStayInsideAreTaken(path: String) throws {
    let place = try Place()
    let folder = try OwnedFolder(place.owned)
    try folder.write(Array("x".utf8), to: path)
    #expect(try folder.contents(path) == Data("x".utf8))
  }

  @Test func aFileInPlaceOfAFolderIsNamed() throws {
    let place = try Place()
    try Data().write(to: place.owned.appendingPathComponent("t"))
    let folder = try OwnedFolder(place.owned)
    #expect(throws: OwnedFolderError.notAFolder(path: place.owned.appendingPathComponent("t").path)) {
      try folder.write(Array("x".utf8), to: "t/a.html")
    }
  }

  @Test func aFolderOpenedBeforeItIsSwappedForALinkIsStillTheRealOne() throws {
    let place = try Place()
    let folder = try OwnedFolder(place.owned)
    try folder.write(Array("1".utf8), to: "t/01/a.html")
    let real = place.owned.appendingPathComponent("t/01")
    try FileManager.default.moveItem(at: real, to: place.owned.appendingPathComponent("moved"))
    try place.plant("t/01", to: place.victim)
    try folder.write(Array("2".utf8), to: "t/01/a.html")
    #expect(place.victimUntouched)
    #expect(try String(contentsOf: place.owned.appendingPathComponent("moved/a.html"), encoding: .utf8) == "2")
  }

  @Test func aFullDiskIsNamedWithTheFreeSpace() {
    let error = OwnedFolderError.failure("write", "/tmp/x/a.png", errno: ENOSPC)
    guard case .noSpace(let path, let free) = error else {
      Issue.record("got \(error)")
      return
    }
    #expect(path == "/tmp/x/a.png" && free != nil)
    #expect(error.description.hasPrefix("no space left on the disk of /tmp/x/a.png ("))
  }
}
