import ObjectStorage
import Testing

struct S3CredentialsTests {
  @Test func readsTheAWSCLIFileDefaultProfileFirst() throws {
    let file = """
      [work]
      aws_access_key_id = AKIAWORK
      aws_secret_access_key = worksecret

      [default]
      # the one used
      aws_access_key_id = AKIADEFAULT
      aws_secret_access_key = default/secret+key
      aws_session_token = token==
      """
    let credentials = try S3Credentials.parse(file)
    #expect(credentials.accessKeyID == "AKIADEFAULT")
    #expect(credentials.secretAccessKey == "default/secret+key")
    #expect(credentials.sessionToken == "token==")
  }

  @Test func readsEnvironmentStyleLines() throws {
    let credentials = try S3Credentials.parse("export AWS_ACCESS_KEY_ID='AKIA1'\nAWS_SECRET_ACCESS_KEY=\"s=e\"\n")
    #expect(credentials.accessKeyID == "AKIA1" && credentials.secretAccessKey == "s=e")
    #expect(credentials.sessionToken == nil)
  }

  @Test func namesTheMissingFieldButNeverAValue() {
    let error = #expect(throws: S3Error.self) { try S3Credentials.parse("aws_access_key_id = AKIASECRETISH\n") }
    #expect(error?.description == "S3 credentials: it has no aws_secret_access_key")
    #expect(throws: S3Error.self) { try S3Credentials.parse("") }
  }

  @Test func comesFromTheEnvironmentOnlyWhenBothKeysAreSet() {
    #expect(S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "A"]) == nil)
    let credentials = S3Credentials.fromEnvironment([
      "AWS_ACCESS_KEY_ID": "AKIAXYZ", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "",
    ])
    #expect(credentials?.sessionToken == nil)
    #expect(credentials.map { "\($0)" } == "S3 access key AKIA…")
  }
}
