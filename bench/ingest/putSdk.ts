/** snowflake-sdk `PUT file://… AUTO_COMPRESS=FALSE OVERWRITE=TRUE` of one local file. Args: url file */
import { connectSdk } from "../sdkClient.js"
import { report, start } from "./shared.js"

const [url, file] = process.argv.slice(2)
const connection = await connectSdk(url!)
const started = start()
const rows = await new Promise<Array<Record<string, unknown>>>((resolve, reject) =>
  connection.execute({
    sqlText: `PUT file://${file} @~/sdkbench AUTO_COMPRESS=FALSE OVERWRITE=TRUE`,
    complete: (err, _s, rows) => (err ? reject(err) : resolve((rows ?? []) as Array<Record<string, unknown>>))
  })
)
if (rows[0]?.status !== "UPLOADED") throw new Error(`PUT: ${JSON.stringify(rows[0])}`)
report("snowflake-sdk PUT", started, String(rows[0]?.targetSize))
await new Promise<void>((resolve) => connection.destroy(() => resolve()))
