/// What a gateway says when asked for the seed of a task's picture (`GET /mj/task/{id}/image-seed`).
public enum ImageSeedAnswer: Sendable, Equatable {
  /// The seed: digits only, 0…4294967295.
  case seed(String)
  /// The gateway has no such route (404 without its JSON code): the Java proxy line, new-api without it.
  case unsupported
  /// The gateway does not know the task (code 3).
  case unknownTask
  /// The task has no message hash, so no seed can be looked up (code 4).
  case noMessageHash
  /// The gateway's lookup failed (code 9, or another), with its words: worth asking again on a later run.
  case lookupFailed(String)
}
