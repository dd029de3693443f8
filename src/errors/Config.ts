import * as Schema from "effect/Schema"
import { errorFields } from "./fields.js"

/** Configuration is missing or malformed; `message` names the setting (e.g. SNOWFLAKE_ACCOUNT) and the problem. */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", errorFields) {
  get retryable(): boolean {
    return false
  }
}
