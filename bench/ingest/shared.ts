/**
 * What the ingestion bench's client processes share: the rows both loaders insert (generated, the
 * same for every client), the table they go to, the checksum query that proves every row arrived
 * once with its values, and the one JSON line each child prints.
 */
import { peakRss } from "../shared.js"

export { PASSWORD, USER } from "../shared.js"

export const COLUMNS = ["id", "n1", "amount", "name", "flag"] as const

/** Row `i` (0-based): integers, a 2-decimal amount, a string, a boolean. */
export const record = (i: number) => ({
  id: i,
  n1: (i * 7919) % 1_000_003,
  amount: (i % 100_000) / 100,
  name: `name_${i}`,
  flag: i % 3 === 0
})

export const createSql = (table: string) =>
  `CREATE OR REPLACE TABLE ${table} (id NUMBER, n1 NUMBER, amount NUMBER(12,2), name VARCHAR, flag BOOLEAN)`

export const checksumSql = (table: string) =>
  `SELECT COUNT(*) AS n, SUM(id) AS ids, SUM(n1) AS n1s, SUM(amount)::VARCHAR AS amounts,
     SUM(LENGTH(name)) AS names, COUNT_IF(flag) AS flags FROM ${table}`

export interface ChildReport {
  readonly client: string
  readonly millis: number
  /**
   * CPU time (user + system, every thread: zlib and crypto run on libuv's pool) the client process
   * spent between start and report. The emulator runs in the parent, so this is the client's own
   * cost — what a client library controls — while the wall time also holds the server's load.
   */
  readonly cpuMillis: number
  /** Peak resident set size of the child process, in bytes. */
  readonly peakRss: number
  readonly detail?: string
}

export interface Started {
  readonly wall: number
  readonly cpu: NodeJS.CpuUsage
}

/** Starts the clock (wall and CPU) once the client is connected. */
export const start = (): Started => ({ wall: performance.now(), cpu: process.cpuUsage() })

export const report = (client: string, started: Started, detail?: string): void => {
  const cpu = process.cpuUsage(started.cpu)
  const line: ChildReport = {
    client,
    millis: performance.now() - started.wall,
    cpuMillis: (cpu.user + cpu.system) / 1000,
    peakRss: peakRss(),
    ...(detail === undefined ? {} : { detail })
  }
  process.stdout.write(`${JSON.stringify(line)}\n`)
}
