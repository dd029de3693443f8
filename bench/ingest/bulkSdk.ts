/**
 * snowflake-sdk inserting N generated rows with array binds: `INSERT … VALUES (?,?,?,?,?)` with
 * `binds: [[…], …]`, `batch` rows per statement (0 = all rows in one statement). Args: url rows table batch
 */
import { connectSdk } from "../sdkClient.js"
import { COLUMNS, record, report, start } from "./shared.js"

const [url, rowsArg, table, batchArg] = process.argv.slice(2)
const rows = Number(rowsArg)
const batch = Number(batchArg) > 0 ? Number(batchArg) : rows

const connection = await connectSdk(url!)
const sqlText = `INSERT INTO ${table} (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`
const started = start()
let statements = 0
for (let from = 0; from < rows; from += batch) {
  const binds: Array<Array<string | number | boolean>> = []
  for (let i = from; i < Math.min(rows, from + batch); i++) {
    const r = record(i)
    binds.push([r.id, r.n1, r.amount, r.name, r.flag])
  }
  await new Promise<void>((resolve, reject) =>
    connection.execute({ sqlText, binds, complete: (err) => (err ? reject(err) : resolve()) })
  )
  statements++
}
const mode = batch * COLUMNS.length > 65_280 ? "stage binding" : "inline binds"
report(`snowflake-sdk array binds, ${mode}`, started, `${statements} INSERT statement(s) of ≤ ${batch} rows`)
await new Promise<void>((resolve) => connection.destroy(() => resolve()))
