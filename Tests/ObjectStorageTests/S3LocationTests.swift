import ObjectStorage
import Testing

struct S3LocationTests {
  @Test func parsesBucketAndPrefixAndBuildsKeys() throws {
    let location = try S3Location("s3://my-archive.images/mj/2026/")
    #expect(location.bucket == "my-archive.images" && location.prefix == "mj/2026")
    #expect(location.key("originals/ab/x.png") == "mj/2026/originals/ab/x.png")
    #expect(location.description == "s3://my-archive.images/mj/2026")
    let top = try S3Location("s3://bucket")
    #expect(top.prefix.isEmpty && top.key("a") == "a" && top.description == "s3://bucket")
  }

  @Test(arguments: [
    "bucket", "https://bucket/x", "s3://", "s3://ab", "s3://Upper", "s3://-dash", "s3://a..b", "s3://bucket_x",
    "s3://bucket/../etc", "s3://bucket/a//b", "s3://bucket/./a", "s3://bucket/a b", "s3://bucket/a\nb",
    "s3://bucket/%2e%2e", "s3://\(String(repeating: "a", count: 64))",
  ])
  func refusesWhatCouldMeanTwoThings(_ text: String) {
    #expect(throws: S3Error.self) { try S3Location(text) }
    #expect((try? S3Location(text)) == nil)
  }

  @Test func anErrorIsOneLineAndAUsageError() {
    let error = #expect(throws: S3Error.self) { try S3Location("s3://bucket/a\n\u{1b}[31mred") }
    #expect(error?.description.contains("\n") == false)
    #expect(error?.exitCode == 2)
  }
}
