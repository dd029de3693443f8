/**
 * What every benchmark client reads: one table of N rows × 8 columns (integers, decimals, strings,
 * booleans, dates, timestamps, variants, nulls), scanned with the same query, and a checksum so a
 * client that drops or repeats rows cannot look fast.
 */
import { readFileSync } from "node:fs"

export const tableName = (rows: number) => `BENCH_${rows}`

export const createTableSql = (rows: number) => `CREATE OR REPLACE TABLE ${tableName(rows)} AS
SELECT seq8() AS id,
  IFF(seq8() % 10 = 0, NULL, uniform(1, 1000000, random())) AS n1,
  ((seq8() % 100000) / 100) :: NUMBER(12, 2) AS amount,
  'name_' || seq8() AS name,
  seq8() % 2 = 0 AS flag,
  DATEADD(day, seq8() % 3650, '2015-01-01' :: DATE) AS day,
  DATEADD(second, seq8(), '2020-01-01 00:00:00' :: TIMESTAMP_NTZ) AS ts,
  OBJECT_CONSTRUCT('k', seq8() % 7, 'v', 'x') AS doc
FROM TABLE(GENERATOR(ROWCOUNT => ${rows}))`

export const scanSql = (rows: number) => `SELECT * FROM ${tableName(rows)}`

/** What a client prints as its one line of JSON. */
export interface ClientReport {
  readonly client: string
  readonly rows: number
  /** Sum of ID over all rows: the same for every client that saw every row exactly once. */
  readonly checksum: string
  readonly millis: number
  /** Peak resident set size of the client process, in bytes. */
  readonly peakRss: number
}

/**
 * Peak resident set size of this process's own memory. On Linux this is VmHWM from /proc: the
 * `maxRSS` of getrusage survives exec, and a child forked from a large parent (the bench runner,
 * which hosts the emulator and its cached results) starts with the parent's RSS as its "peak", so
 * every client would report the runner's size. Elsewhere, getrusage is the best there is.
 */
export const peakRss = (): number => {
  try {
    const status = readFileSync("/proc/self/status", "utf8")
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status)
    if (match) return Number(match[1]) * 1024
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024
}

export const report = (client: string, rows: number, checksum: bigint, started: number): void => {
  const line: ClientReport = {
    client,
    rows,
    checksum: checksum.toString(),
    millis: performance.now() - started,
    peakRss: peakRss()
  }
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

export const USER = "BENCH"
export const PASSWORD = "bench"
