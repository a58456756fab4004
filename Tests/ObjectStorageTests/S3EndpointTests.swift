import Foundation
import ObjectStorage
import Testing

struct S3EndpointTests {
  @Test func addressesBucketsByPathOrByHost() throws {
    let minio = try S3Endpoint(url: "http://127.0.0.1:9000", pathStyle: true)
    let (host, path) = minio.target(bucket: "b", key: "p/originals/a b.png")
    #expect(host == "127.0.0.1:9000" && path == "/b/p/originals/a b.png")
    #expect(
      minio.url(host: host, path: path, query: [])?.absoluteString == "http://127.0.0.1:9000/b/p/originals/a%20b.png")

    let aws = try S3Endpoint(url: "https://s3.eu-west-1.amazonaws.com/", region: "eu-west-1", pathStyle: false)
    let (awsHost, awsPath) = aws.target(bucket: "b", key: nil)
    #expect(awsHost == "b.s3.eu-west-1.amazonaws.com" && awsPath == "/")
    #expect(
      aws.url(host: awsHost, path: awsPath, query: [("prefix", "p/"), ("list-type", "2")])?.absoluteString
        == "https://b.s3.eu-west-1.amazonaws.com/?list-type=2&prefix=p%2F")
    #expect(aws.description == "https://s3.eu-west-1.amazonaws.com")
  }

  @Test(arguments: [
    "s3.amazonaws.com", "ftp://host", "http://", "https://user:secret@host", "https://host/bucket", "https://host?x=1",
  ])
  func refusesWhatIsNotJustAServer(_ url: String) {
    let error = #expect(throws: S3Error.self) { try S3Endpoint(url: url, pathStyle: false) }
    #expect(error.map { "\($0)".contains("secret") } == false)
  }

  @Test func refusesARegionThatIsNotOne() {
    #expect(throws: S3Error.self) { try S3Endpoint(url: "https://h", region: "us east/1", pathStyle: false) }
    #expect((try? S3Endpoint(url: "https://h", region: "auto", pathStyle: false)) != nil)
  }
}
