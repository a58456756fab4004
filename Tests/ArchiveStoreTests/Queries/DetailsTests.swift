import Foundation
import GRDB
import MidjourneyAPI
import Synchronization
import TestSupport
import Testing

@testable import ArchiveStore

/// One task with everything known about it.
@Suite struct DetailsTests {
  @Test func detailsFollowEveryLineageHint() throws {
    let archive = try TemporaryArchive()
    let parent = try TemporaryArchive.sample("task-imagine-success.json")
    let child = try TemporaryArchive.sample("task-upscale-success.json")
    try archive.store.store(parent)
    try archive.store.store(child)
    #expect(try archive.store.details(id: child.id).parent?.id == parent.id)
    #expect(try archive.store.details(id: child.id).parent?.evidence == .parentId)
    #expect(try archive.store.details(id: child.id).parent?.buttonText == "U2")
    #expect(try archive.store.details(id: parent.id).children.map(\.id) == [child.id])
    try archive.store.recordSubmission(
      taskId: "555", parentId: parent.id, customId: "MJ::JOB::variation::1::x", response: Data("{}".utf8))
    let known = try archive.store.details(id: "555")
    #expect(known.task == nil)
    #expect(known.knownFrom == "submit")
    #expect(known.parent?.evidence == .submitted)
    #expect(known.rootId == parent.id)
    #expect(Set(try archive.store.details(id: parent.id).children.map(\.id)) == [child.id, "555"])
    #expect(throws: StoreError.taskNotFound(id: "404")) { try archive.store.details(id: "404") }
  }

  @Test func hashOnlyAndReferencedMessageChildrenAreFound() throws {
    let archive = try TemporaryArchive()
    let parent = try TemporaryArchive.sample("task-imagine-success.json")
    try archive.store.store(parent)
    var object = try #require(try TemporaryArchive.sample("task-upscale-success.json").json.objectValue)
    object["parentId"] = nil
    var properties = try #require(object["properties"]?.objectValue)
    properties["referencedMessageId"] = nil
    properties["progressMessageId"] = nil
    object["properties"] = .object(properties)
    let hashOnly = try GatewayTask(json: .object(object), raw: Data(JSONValue.object(object).serialized().utf8))
    try archive.store.store(hashOnly)
    #expect(try archive.store.details(id: hashOnly.id).parent?.evidence == .jobHash)
    #expect(try archive.store.details(id: hashOnly.id).parent?.id == parent.id)
  }
}
