import Hummingbird
import NIOCore

/// Reads a callback's body within a size and a time, so neither a big body nor a slow one holds the receiver.
enum BodyReader {
  /// Why a body was not read.
  enum Failure: Error {
    case tooLarge
    case tooSlow
  }

  /// The whole body, at most `limit` bytes, read within `deadline`.
  static func collect(_ body: RequestBody, limit: Int, deadline: Duration) async throws(Failure) -> ByteBuffer {
    let outcome = await withTaskGroup(of: Result<ByteBuffer, Failure>?.self) { group in
      group.addTask {
        do {
          return .success(try await body.collect(upTo: limit))
        } catch is NIOTooManyBytesError {
          return .failure(.tooLarge)
        } catch {
          return .failure(.tooSlow)
        }
      }
      group.addTask {
        try? await Task.sleep(for: deadline)
        return Task.isCancelled ? nil : .failure(.tooSlow)
      }
      defer { group.cancelAll() }
      while let next = await group.next() {
        if let next { return next }
      }
      return .failure(.tooSlow)
    }
    return try outcome.get()
  }
}
