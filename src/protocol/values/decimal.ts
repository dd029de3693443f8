/** Plain decimal text for Effect BigDecimal (no exponent, unlike `BigDecimal.format` at scale ≥ 16). */
import type * as BigDecimal from "effect/BigDecimal"

/** `-0.05`, `1.123456789123456789`, `1500` — the exact value, never in scientific notation. */
export const toPlainString = (value: BigDecimal.BigDecimal): string => {
  const { scale } = value
  const negative = value.value < 0n
  const digits = (negative ? -value.value : value.value).toString()
  let text: string
  if (scale <= 0) {
    text = digits === "0" ? "0" : digits + "0".repeat(-scale)
  } else if (digits.length > scale) {
    text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
  } else {
    text = `0.${"0".repeat(scale - digits.length)}${digits}`
  }
  return negative ? `-${text}` : text
}
