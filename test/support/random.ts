/** Seeded pseudo-random numbers for generated test cases, so that a failure names its case. */

/** mulberry32: numbers in [0, 1) from a 32-bit seed. */
export const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** One of `items`, chosen by `next`. */
export const pick = <A>(next: () => number, items: ReadonlyArray<A>): A =>
  items[Math.floor(next() * items.length)] as A
