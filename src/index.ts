/**
 * effect-snowflake: an Effect-native Snowflake client.
 *
 * ```ts
 * import { Snowflake, Query, SnowflakeError } from "effect-snowflake"
 * ```
 */

export * as SnowflakeError from "./errors/index.js"
export * as Snowflake from "./layers/Snowflake.js"
export * as Query from "./sql/Query.js"
