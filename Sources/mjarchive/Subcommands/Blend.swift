import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive blend A.png B.png [… E.png] [--dimensions square]` command.
  struct Blend: SubmitCommand {
    static let configuration = CommandConfiguration(abstract: "Blend 2 to 5 images into a 2×2 grid.")

    @Argument(help: "2 to 5 image files.")
    var images: [String]

    @Option(help: "portrait (2:3), square (1:1) or landscape (3:2).")
    var dimensions: String = "square"

    @OptionGroup var correlation: StateOptions
    @OptionGroup var options: SubmitOptions

    func validate() throws {
      guard (2...5).contains(images.count) else {
        throw ValidationError("blend takes 2 to 5 images (got \(images.count))")
      }
      guard BlendDimensions(rawValue: dimensions.uppercased()) != nil else {
        throw ValidationError("--dimensions must be portrait, square or landscape")
      }
    }

    func run() async throws {
      try await submitting { client, reporter throws(GatewayError) in
        let dataURLs = try images.map { (path: String) throws(GatewayError) -> String in
          try ImageDataURL.make(path: path)
        }
        let shape = BlendDimensions(rawValue: dimensions.uppercased()) ?? .square
        try await reporter.submit(
          try .blend(images: dataURLs, dimensions: shape, state: correlation.state), what: "blend")
      }
    }
  }
}
