import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as SnowflakeConfig from "../../../src/services/SnowflakeConfig.js"
import type { SnowflakeOptions } from "../../../src/services/SnowflakeOptions.js"

/** Options pointing at a local server with fast retries (no waiting in tests). */
export const testOptions = (url: string, overrides: Partial<SnowflakeOptions> = {}): SnowflakeOptions => ({
  account: "testacct",
  user: "tester",
  auth: { type: "password", password: Redacted.make("hunter2-secret") },
  accessUrl: url,
  retry: { baseDelay: Duration.millis(1), maxDelay: Duration.millis(5), maxJitter: Duration.zero },
  ...overrides
})

export const resolved = (url: string, overrides: Partial<SnowflakeOptions> = {}) =>
  SnowflakeConfig.resolve(testOptions(url, overrides)).pipe(Effect.orDie)
