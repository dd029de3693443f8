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
  /** Peak resident set size of the child process, in bytes. */
  readonly peakRss: number
  readonly detail?: string
}

export const report = (client: string, started: number, detail?: string): void => {
  const line: ChildReport = {
    client,
    millis: performance.now() - started,
    peakRss: peakRss(),
    ...(detail === undefined ? {} : { detail })
  }
  process.stdout.write(`${JSON.stringify(line)}\n`)
}
