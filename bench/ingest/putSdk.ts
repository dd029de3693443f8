/** snowflake-sdk `PUT file://… AUTO_COMPRESS=FALSE OVERWRITE=TRUE` of one local file. Args: url file */
import snowflake from "snowflake-sdk"
import { PASSWORD, report, USER } from "./shared.js"

const [url, file] = process.argv.slice(2)
snowflake.configure({ logLevel: "OFF" })
const connection = snowflake.createConnection({
  accessUrl: url!,
  account: "emulator",
  username: USER,
  password: PASSWORD
})
await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())))
const started = performance.now()
const rows = await new Promise<Array<Record<string, unknown>>>((resolve, reject) =>
  connection.execute({
    sqlText: `PUT file://${file} @~/sdkbench AUTO_COMPRESS=FALSE OVERWRITE=TRUE`,
    complete: (err, _s, rows) => (err ? reject(err) : resolve((rows ?? []) as Array<Record<string, unknown>>))
  })
)
if (rows[0]?.status !== "UPLOADED") throw new Error(`PUT: ${JSON.stringify(rows[0])}`)
report("snowflake-sdk PUT", started, String(rows[0]?.targetSize))
await new Promise<void>((resolve) => connection.destroy(() => resolve()))
