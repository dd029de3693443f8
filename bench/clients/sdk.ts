/** The official snowflake-sdk, `streamRows()` with its default settings. */

import { connectSdk } from "../sdkClient.js"
import { report, scanSql } from "../shared.js"

const [url, rowsArg] = process.argv.slice(2)
const rows = Number(rowsArg)

const started = performance.now()
const connection = await connectSdk(url!)
let seen = 0
let checksum = 0n
await new Promise<void>((resolve, reject) => {
  const statement = connection.execute({ sqlText: scanSql(rows), streamResult: true })
  statement
    .streamRows()
    .on("data", (row: Record<string, unknown>) => {
      seen++
      checksum += BigInt(row.ID as number)
    })
    .on("error", reject)
    .on("end", () => resolve())
})
if (seen !== rows) throw new Error(`snowflake-sdk saw ${seen} rows, expected ${rows}`)
report("snowflake-sdk", seen, checksum, started)
await new Promise<void>((resolve) => connection.destroy(() => resolve()))
