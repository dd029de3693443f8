import { assert, describe, it } from "@effect/vitest"
import { accountFromHost, accountName, normalizeAccount } from "../../../src/protocol/auth/account.js"

describe("account", () => {
  it("drops region, cloud and privatelink suffixes", () => {
    assert.strictEqual(normalizeAccount("xy12345.us-east-1.aws"), "XY12345")
    assert.strictEqual(normalizeAccount("myorg-acct.privatelink"), "MYORG-ACCT")
    assert.strictEqual(normalizeAccount("xy12345"), "XY12345")
  })

  it("org-qualified accounts keep their hyphen (§16.9)", () => {
    assert.strictEqual(normalizeAccount("myorg-acct.us-east-1"), "MYORG-ACCT")
    assert.strictEqual(accountName("myorg-acct.us-east-1"), "myorg-acct")
  })

  it(".global accounts keep the part before the first hyphen", () => {
    assert.strictEqual(normalizeAccount("acct-abc123.global"), "ACCT")
    assert.strictEqual(normalizeAccount("acct.global"), "ACCT")
  })

  it("accountFromHost", () => {
    assert.strictEqual(accountFromHost("https://myorg-acct.snowflakecomputing.com"), "myorg-acct")
    assert.strictEqual(accountFromHost("xy12345.us-east-1.aws.snowflakecomputing.com:443"), "xy12345")
    assert.strictEqual(accountFromHost("https://acct-x1.global.snowflakecomputing.com/path"), "acct")
    assert.strictEqual(accountFromHost("myacct.snowflakecomputing.cn"), "myacct")
    assert.isUndefined(accountFromHost("http://127.0.0.1:8080"))
    assert.isUndefined(accountFromHost("localhost:8080"))
    assert.isUndefined(accountFromHost("http://[::1]:8080"))
  })
})
