/**
 * A Snowflake TIMESTAMP_NTZ / _LTZ / _TZ with nanoseconds and (for TZ) its offset.
 *
 * - NTZ is a wall-clock time without zone; the server encodes it as if it were UTC, and so do we
 *   (`toDateTime()` gives the wall clock as a UTC DateTime, `toString()` has no offset).
 * - LTZ is an instant; it is rendered in UTC (`…Z`). Rendering in the session time zone is the
 *   caller's choice (`DateTime.setZone`).
 * - TZ is an instant plus the offset it was written with; `toDateTime()` is a Zoned DateTime.
 */
import * as DateTime from "effect/DateTime"
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import { floorDiv, floorMod, formatDate, formatOffset, formatTimeOfDay, SECONDS_PER_DAY } from "./calendar.js"

export type TimestampKind = "ntz" | "ltz" | "tz"

export class SnowflakeTimestamp implements Equal.Equal {
  readonly _tag = "SnowflakeTimestamp"
  /** Whole seconds since the epoch, floored (exact as a number for every year 0001–9999 and far beyond). */
  readonly seconds: number

  constructor(
    readonly kind: TimestampKind,
    epochSeconds: number | bigint,
    /** Nanoseconds within the second, 0 ≤ nanos < 10^9 (also for instants before 1970). */
    readonly nanos: number,
    /** Offset from UTC in minutes (TZ only; 0 for NTZ and LTZ). */
    readonly offsetMinutes: number = 0,
    /** Fraction digits of the column (0–9), used by `toString`. */
    readonly scale: number = 9
  ) {
    this.seconds = Number(epochSeconds)
  }

  /** Whole seconds since the epoch as a bigint. */
  get epochSeconds(): bigint {
    return BigInt(this.seconds)
  }

  /** Nanoseconds since the epoch, exact. */
  get epochNanos(): bigint {
    return BigInt(this.seconds) * 1_000_000_000n + BigInt(this.nanos)
  }

  /** Milliseconds since the epoch (sub-millisecond digits dropped, floored). */
  get epochMillis(): number {
    return this.seconds * 1000 + Math.floor(this.nanos / 1_000_000)
  }

  /** An Effect DateTime (millisecond precision): Utc for NTZ/LTZ, Zoned with the offset for TZ. */
  toDateTime(): DateTime.DateTime {
    const utc = DateTime.unsafeMake(this.epochMillis)
    return this.kind === "tz"
      ? DateTime.setZone(utc, DateTime.zoneMakeOffset(this.offsetMinutes * 60_000))
      : utc
  }

  /** A JS Date (millisecond precision). For NTZ it is the wall clock read as UTC. */
  toDate(): Date {
    return new Date(this.epochMillis)
  }

  /**
   * ISO 8601 with `scale` fraction digits: NTZ `2016-01-21T06:32:44.123456789`, LTZ `…Z`, TZ the
   * local wall clock with its offset, `2016-01-20T22:32:44.123456789-08:00`.
   */
  toString(): string {
    const local = this.seconds + (this.kind === "tz" ? this.offsetMinutes * 60 : 0)
    const days = floorDiv(local, SECONDS_PER_DAY)
    const text = `${formatDate(days)}T${formatTimeOfDay(floorMod(local, SECONDS_PER_DAY), this.nanos, this.scale)}`
    switch (this.kind) {
      case "ntz":
        return text
      case "ltz":
        return `${text}Z`
      case "tz":
        return `${text}${formatOffset(this.offsetMinutes)}`
    }
  }

  toJSON(): string {
    return this.toString()
  }

  [Equal.symbol](that: Equal.Equal): boolean {
    return (
      that instanceof SnowflakeTimestamp &&
      that.kind === this.kind &&
      that.seconds === this.seconds &&
      that.nanos === this.nanos &&
      that.offsetMinutes === this.offsetMinutes
    )
  }

  [Hash.symbol](): number {
    return Hash.number(this.seconds * 31 + this.nanos)
  }

  /** A timestamp from epoch nanoseconds. */
  static fromEpochNanos(
    kind: TimestampKind,
    epochNanos: bigint,
    offsetMinutes = 0,
    scale = 9
  ): SnowflakeTimestamp {
    const second = 1_000_000_000n
    let seconds = epochNanos / second
    let nanos = epochNanos % second
    if (nanos < 0n) {
      nanos += second
      seconds -= 1n
    }
    return new SnowflakeTimestamp(kind, seconds, Number(nanos), offsetMinutes, scale)
  }

  /** A timestamp from a JS Date (millisecond precision). */
  static fromDate(kind: TimestampKind, date: Date, offsetMinutes = 0): SnowflakeTimestamp {
    const ms = date.getTime()
    const seconds = floorDiv(ms, 1000)
    return new SnowflakeTimestamp(kind, seconds, (ms - seconds * 1000) * 1_000_000, offsetMinutes, 3)
  }
}
