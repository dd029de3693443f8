/**
 * What the short-statement clients measure and report: latency percentiles of sequential
 * statements, and for each concurrency the wall time and the process's own CPU (user + system)
 * of a fixed number of distinct statements. Every answer is checked (`value * 2`), so a client
 * that skips or mixes up statements cannot look fast.
 */

/** Percentile `q` (0..1) of `samples` (milliseconds), nearest-rank. */
export const percentile = (samples: ReadonlyArray<number>, q: number): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

export interface Latency {
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly count: number
}

export const latency = (samples: ReadonlyArray<number>): Latency => ({
  p50: percentile(samples, 0.5),
  p99: percentile(samples, 0.99),
  max: Math.max(...samples),
  count: samples.length
})

export interface ConcurrencyRun {
  readonly concurrency: number
  readonly statements: number
  readonly wallMs: number
  /** CPU of the client process (user + system) over the run. */
  readonly cpuMs: number
}

/** One line of JSON a short-statement client prints last. */
export interface SmallReport {
  readonly client: string
  /** From the start of the client (layer build, pool creation) to its first answer. */
  readonly firstAnswerMs: number
  readonly sequential: Latency
  readonly runs: ReadonlyArray<ConcurrencyRun>
}

/** How many statements each measurement runs (bounded; the same for every client). */
export const SEQUENTIAL_WARMUP = 50
export const SEQUENTIAL_STATEMENTS = 500
export const POOL_WARMUP = 200
export const STATEMENTS = 1_000
export const CONCURRENCIES = [1, 10, 50] as const
export const POOL_SIZE = 10

export const cpuMillis = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** Fails loudly when an answer is not the bound value doubled. */
export const check = (value: number, answer: unknown): void => {
  if (Number(answer) !== value * 2) throw new Error(`SELECT ${value} * 2 answered ${String(answer)}`)
}

/**
 * Distinct bind values for a run: `offset` keeps runs apart so that no statement repeats an
 * earlier one's value.
 */
export const values = (count: number, offset: number): ReadonlyArray<number> =>
  Array.from({ length: count }, (_, i) => offset + i + 1)

/** Runs `one` over `inputs` with at most `concurrency` in flight (promise clients). */
export const runConcurrently = async (
  inputs: ReadonlyArray<number>,
  concurrency: number,
  one: (value: number) => Promise<void>
): Promise<void> => {
  let next = 0
  const worker = async () => {
    while (next < inputs.length) {
      const value = inputs[next++]!
      await one(value)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker))
}

/** Times `statements` sequential calls of `one` after `warmup` untimed ones (promise clients). */
export const sequentialLatency = async (
  one: (value: number) => Promise<void>,
  offset: number
): Promise<Latency> => {
  for (const value of values(SEQUENTIAL_WARMUP, offset)) await one(value)
  const samples: Array<number> = []
  for (const value of values(SEQUENTIAL_STATEMENTS, offset + SEQUENTIAL_WARMUP)) {
    const t0 = performance.now()
    await one(value)
    samples.push(performance.now() - t0)
  }
  return latency(samples)
}

/** Times one concurrency run of `STATEMENTS` distinct statements (promise clients). */
export const concurrencyRun = async (
  concurrency: number,
  offset: number,
  one: (value: number) => Promise<void>
): Promise<ConcurrencyRun> => {
  const cpu0 = cpuMillis()
  const t0 = performance.now()
  await runConcurrently(values(STATEMENTS, offset), concurrency, one)
  return { concurrency, statements: STATEMENTS, wallMs: performance.now() - t0, cpuMs: cpuMillis() - cpu0 }
}

export const printReport = (report: SmallReport): void => {
  process.stdout.write(`${JSON.stringify(report)}\n`)
}
