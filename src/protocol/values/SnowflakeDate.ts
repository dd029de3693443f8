/** A Snowflake DATE: a calendar day, held as days since 1970-01-01 (the wire encoding, §5.5). */
import * as DateTime from "effect/DateTime"
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import { daysFromCivil, formatDate, SECONDS_PER_DAY } from "./calendar.js"

export class SnowflakeDate implements Equal.Equal {
  readonly _tag = "SnowflakeDate"
  constructor(
    /** Days since 1970-01-01; negative before. */
    readonly days: number
  ) {}

  /** `YYYY-MM-DD`. */
  toString(): string {
    return formatDate(this.days)
  }

  toJSON(): string {
    return this.toString()
  }

  /** Midnight UTC of this day. */
  toDateTime(): DateTime.Utc {
    return DateTime.unsafeMake(this.days * SECONDS_PER_DAY * 1000)
  }

  /** Midnight UTC of this day as a JS Date (what snowflake-sdk returns). */
  toDate(): Date {
    return new Date(this.days * SECONDS_PER_DAY * 1000)
  }

  [Equal.symbol](that: Equal.Equal): boolean {
    return that instanceof SnowflakeDate && that.days === this.days
  }

  [Hash.symbol](): number {
    return Hash.number(this.days)
  }

  /** The day of a calendar date (proleptic Gregorian, any year). */
  static fromYmd(year: number, month: number, day: number): SnowflakeDate {
    return new SnowflakeDate(daysFromCivil(year, month, day))
  }

  /** The UTC calendar day of a JS Date. */
  static fromDate(date: Date): SnowflakeDate {
    return new SnowflakeDate(Math.floor(date.getTime() / 86_400_000))
  }
}
