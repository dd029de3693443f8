/**
 * Runs statements with the official snowflake-sdk in a child process and prints their rows as
 * JSON. A separate process because the sdk's S3 client builds its own https agent: the only way
 * to make it trust the emulator's self-signed S3 certificate without touching the sdk is
 * NODE_EXTRA_CA_CERTS, which Node reads once at startup (the parent sets it for this child only).
 *
 * argv[2]: JSON {accessUrl, username, password, statements: string[]}
 */
import snowflake from "snowflake-sdk"

snowflake.configure({ logLevel: "OFF" })
const job = JSON.parse(process.argv[2])

const connection = snowflake.createConnection({
  accessUrl: job.accessUrl,
  account: "emulator",
  username: job.username,
  password: job.password
})

const connect = () =>
  new Promise((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())))

const run = (sqlText) =>
  new Promise((resolve, reject) =>
    connection.execute({
      sqlText,
      complete: (err, _statement, rows) => (err ? reject(err) : resolve(rows ?? []))
    })
  )

try {
  await connect()
  const results = []
  for (const sql of job.statements) results.push(await run(sql))
  process.stdout.write(JSON.stringify({ ok: true, results }))
  await new Promise((resolve) => connection.destroy(() => resolve()))
} catch (error) {
  process.stdout.write(
    JSON.stringify({ ok: false, message: String(error?.message ?? error), code: error?.code })
  )
  process.exitCode = 1
}
