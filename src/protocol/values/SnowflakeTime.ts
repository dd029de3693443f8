/** A Snowflake TIME: a time of day with up to nanosecond precision and the column's scale. */
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import { formatTimeOfDay, NANOS_PER_SECOND } from "./calendar.js"

export class SnowflakeTime implements Equal.Equal {
  readonly _tag = "SnowflakeTime"
  constructor(
    /** Nanoseconds since midnight (< 86 400 × 10^9, exact as a number). */
    readonly nanosOfDay: number,
    /** Fraction digits of the column (0–9), used by `toString`. */
    readonly scale: number = 9
  ) {}

  /** Nanoseconds since midnight as a bigint. */
  get nanos(): bigint {
    return BigInt(this.nanosOfDay)
  }

  get hours(): number {
    return Math.floor(this.nanosOfDay / (3600 * NANOS_PER_SECOND))
  }

  get minutes(): number {
    return Math.floor(this.nanosOfDay / (60 * NANOS_PER_SECOND)) % 60
  }

  get seconds(): number {
    return Math.floor(this.nanosOfDay / NANOS_PER_SECOND) % 60
  }

  /** The sub-second part in nanoseconds. */
  get nanosecond(): number {
    return this.nanosOfDay % NANOS_PER_SECOND
  }

  /** `HH:MM:SS` with `scale` fraction digits. */
  toString(): string {
    return formatTimeOfDay(Math.floor(this.nanosOfDay / NANOS_PER_SECOND), this.nanosecond, this.scale)
  }

  toJSON(): string {
    return this.toString()
  }

  [Equal.symbol](that: Equal.Equal): boolean {
    return that instanceof SnowflakeTime && that.nanosOfDay === this.nanosOfDay
  }

  [Hash.symbol](): number {
    return Hash.number(this.nanosOfDay)
  }
}
