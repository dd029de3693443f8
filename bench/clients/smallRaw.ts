/**
 * The emulator's own service time for the short statement: one raw keep-alive HTTP session
 * (bench/small/rawSession.ts), sequential statements only — there is no pool to run concurrently.
 */
import { check, printReport, sequentialLatency } from "../small/measure.js"
import { rawSession } from "../small/rawSession.js"

const [url] = process.argv.slice(2)

const started = performance.now()
const session = await rawSession(url!)
check(0, await session.double(0))
const firstAnswerMs = performance.now() - started
const sequential = await sequentialLatency(async (value) => check(value, await session.double(value)), 0)
session.close()
printReport({ client: "raw HTTP", firstAnswerMs, sequential, runs: [] })
