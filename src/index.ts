/**
 * effect-snowflake: an Effect-native Snowflake client.
 *
 * ```ts
 * import { Snowflake, Query, SnowflakeError } from "effect-snowflake"
 * ```
 */

export * as SnowflakeError from "./errors/index.js"
export * as Snowflake from "./layers/Snowflake.js"
/** What DATE, TIME and TIMESTAMP_* columns decode to (nanoseconds and offsets kept). */
export {
  SnowflakeDate,
  SnowflakeTime,
  SnowflakeTimestamp,
  type TimestampKind
} from "./protocol/values/index.js"
export * as CopyInto from "./sql/CopyInto.js"
export * as CopyOptions from "./sql/CopyOptions.js"
export * as FileFormat from "./sql/FileFormat.js"
export * as Query from "./sql/Query.js"
export * as Export from "./streams/export/index.js"
export * as ResultStream from "./streams/ResultStream.js"
