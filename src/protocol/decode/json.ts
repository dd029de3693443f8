/**
 * JSON for VARIANT / OBJECT / ARRAY cells, without losing numbers.
 *
 * `parseLosslessJson` returns what `JSON.parse` would, except that integer literals outside the
 * safe range (|n| > 2^53 − 1) become `bigint`, decimals a double cannot hold exactly (more than 15
 * significant digits that do not survive the round trip, e.g. `1234567890.123456789`) become
 * `BigDecimal` with the scale they were written with, and the non-strict tokens the server emits
 * unless STRICT_JSON_OUTPUT=true are accepted: `NaN`, `Infinity`, `-Infinity` and `undefined`
 * (PROTOCOL.md §5.5). Ordinary cells take `JSON.parse`'s native path; only cells with a run of 16+
 * digits (a decimal point may sit among them) or non-strict tokens go through the small parser below.
 */
import * as BigDecimal from "effect/BigDecimal"
import * as Option from "effect/Option"

/** 16 digits, or 16 digits and points: every number a double might not hold has such a run. */
const sixteenDigits = /\d[\d.]{15}/

export const parseLosslessJson = (text: string): unknown => {
  if (!sixteenDigits.test(text)) {
    try {
      return JSON.parse(text)
    } catch {
      // Non-strict JSON (NaN, Infinity, undefined): fall through to the tolerant parser.
    }
  }
  return new Parser(text).parseDocument()
}

/** Significant digits of a decimal literal's mantissa (leading zeros are not). */
const significantDigits = (literal: string): number => {
  const mantissa = literal.split(/[eE]/)[0] ?? ""
  return mantissa.replace(/[-.]/g, "").replace(/^0+/, "").length
}

/**
 * A non-integer literal as the double `n`, unless the double is not exactly its value: any decimal
 * of up to 15 significant digits survives the trip through a double, longer ones are compared
 * (and one beyond the double's range, which would be Infinity, is a BigDecimal).
 */
const exactDecimal = (literal: string, n: number): number | BigDecimal.BigDecimal => {
  if (Number.isFinite(n) && significantDigits(literal) <= 15) return n
  const written = BigDecimal.unsafeFromString(literal)
  const held = Number.isFinite(n) ? BigDecimal.fromString(String(n)) : Option.none()
  return Option.isSome(held) && BigDecimal.equals(written, held.value) ? n : written
}

class Parser {
  private i = 0
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.value()
    this.skipSpace()
    if (this.i !== this.text.length) this.fail("unexpected trailing characters")
    return value
  }

  private fail(reason: string): never {
    throw new SyntaxError(`Invalid JSON at position ${this.i}: ${reason}`)
  }

  private skipSpace(): void {
    const text = this.text
    let i = this.i
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break
      i++
    }
    this.i = i
  }

  private value(): unknown {
    this.skipSpace()
    const c = this.text.charCodeAt(this.i)
    switch (c) {
      case 123: // {
        return this.object()
      case 91: // [
        return this.array()
      case 34: // "
        return this.string()
      case 116: // t
        return this.keyword("true", true)
      case 102: // f
        return this.keyword("false", false)
      case 110: // n
        return this.keyword("null", null)
      case 78: // N
        return this.keyword("NaN", Number.NaN)
      case 73: // I
        return this.keyword("Infinity", Number.POSITIVE_INFINITY)
      case 117: // u
        return this.keyword("undefined", undefined)
      default:
        if (c === 45 && this.text.startsWith("-Infinity", this.i))
          return this.keyword("-Infinity", Number.NEGATIVE_INFINITY)
        if (c === 45 || (c >= 48 && c <= 57)) return this.number()
        return this.fail(
          Number.isNaN(c) ? "unexpected end" : `unexpected character ${JSON.stringify(this.text[this.i])}`
        )
    }
  }

  private keyword<A>(word: string, value: A): A {
    if (!this.text.startsWith(word, this.i)) this.fail(`expected ${word}`)
    this.i += word.length
    return value
  }

  private number(): number | bigint | BigDecimal.BigDecimal {
    const text = this.text
    const start = this.i
    let i = start
    let integer = true
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c >= 48 && c <= 57) {
        i++
      } else if (c === 45 || c === 43) {
        i++
      } else if (c === 46 || c === 101 || c === 69) {
        integer = false
        i++
      } else {
        break
      }
    }
    const literal = text.slice(start, i)
    this.i = i
    const n = Number(literal)
    if (Number.isNaN(n) || !/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(literal))
      this.fail(`bad number ${literal}`)
    if (integer) return Number.isSafeInteger(n) ? n : BigInt(literal)
    return exactDecimal(literal, n)
  }

  private string(): string {
    const text = this.text
    const start = this.i
    let i = start + 1
    let escaped = false
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 34) break
      if (c === 92) {
        escaped = true
        i += 2
      } else {
        i++
      }
    }
    if (i >= text.length) this.fail("unterminated string")
    this.i = i + 1
    // JSON.parse handles escapes (\uXXXX, surrogates) exactly; only needed when there are any.
    return escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i)
  }

  private array(): Array<unknown> {
    this.i++ // [
    const out: Array<unknown> = []
    this.skipSpace()
    if (this.text.charCodeAt(this.i) === 93) {
      this.i++
      return out
    }
    for (;;) {
      out.push(this.value())
      this.skipSpace()
      const c = this.text.charCodeAt(this.i++)
      if (c === 93) return out
      if (c !== 44) this.fail("expected , or ]")
    }
  }

  private object(): Record<string, unknown> {
    this.i++ // {
    const out: Record<string, unknown> = {}
    this.skipSpace()
    if (this.text.charCodeAt(this.i) === 125) {
      this.i++
      return out
    }
    for (;;) {
      this.skipSpace()
      if (this.text.charCodeAt(this.i) !== 34) this.fail("expected a key")
      const key = this.string()
      this.skipSpace()
      if (this.text.charCodeAt(this.i++) !== 58) this.fail("expected :")
      const value = this.value()
      // An own property even for "__proto__", as JSON.parse does.
      if (key === "__proto__")
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
      else out[key] = value
      this.skipSpace()
      const c = this.text.charCodeAt(this.i++)
      if (c === 125) return out
      if (c !== 44) this.fail("expected , or }")
    }
  }
}
