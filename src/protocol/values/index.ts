/** Value types for Snowflake's date and time columns that keep nanoseconds and offsets. */

export { SnowflakeDate } from "./SnowflakeDate.js"
export { SnowflakeTime } from "./SnowflakeTime.js"
export { SnowflakeTimestamp, type TimestampKind } from "./SnowflakeTimestamp.js"
