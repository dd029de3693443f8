/** Heap-used and RSS samples over a soak, printed as a sparkline and first-vs-last-quartile means. */
export interface MemorySample {
  readonly atMs: number
  readonly heapMb: number
  readonly rssMb: number
}

export const sampleMemory = (startedMs: number): MemorySample => {
  const usage = process.memoryUsage()
  return { atMs: performance.now() - startedMs, heapMb: usage.heapUsed / 2 ** 20, rssMb: usage.rss / 2 ** 20 }
}

const BARS = "▁▂▃▄▅▆▇█"

const sparkline = (values: ReadonlyArray<number>) => {
  const min = Math.min(...values)
  const max = Math.max(...values)
  const span = max - min || 1
  return values
    .map((v) => BARS[Math.min(BARS.length - 1, Math.floor(((v - min) / span) * BARS.length))])
    .join("")
}

const mean = (values: ReadonlyArray<number>) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)

/** First vs last quartile of a series: "flat" means the last is not far above the first. */
export const quartiles = (values: ReadonlyArray<number>) => {
  const q = Math.max(1, Math.floor(values.length / 4))
  return { first: mean(values.slice(0, q)), last: mean(values.slice(-q)) }
}

export const printCurve = (samples: ReadonlyArray<MemorySample>) => {
  for (const [name, pick] of [
    ["heap used", (s: MemorySample) => s.heapMb],
    ["rss", (s: MemorySample) => s.rssMb]
  ] as const) {
    const values = samples.map(pick)
    const { first, last } = quartiles(values)
    console.log(
      `${name.padEnd(9)} ${sparkline(values)}  min ${Math.min(...values).toFixed(1)} max ${Math.max(...values).toFixed(1)} MB; first quartile ${first.toFixed(1)} MB → last ${last.toFixed(1)} MB (${(((last - first) / first) * 100).toFixed(1)}%)`
    )
  }
}
