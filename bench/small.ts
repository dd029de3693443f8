/**
 * `npm run bench:small`: short statements (issue 16). One emulator, started as a user starts it
 * (`node bin/effect-snowflake.js emulator`, on the dist `npm run build` made), and in the same
 * run, each client in its own process (vite-node on the sources):
 * - the emulator's start: launch → "listening" → first answer of a raw session, the latency of
 *   its first 50 statements against the settled latency after them, its peak RSS;
 * - the emulator's own service time for `SELECT ? * 2`: a raw keep-alive HTTP session;
 * - effect-snowflake and snowflake-sdk, each with a pool of 10: time from start to the first
 *   answer, sequential latency on a warm session (p50, p99), and 1,000 distinct statements at
 *   concurrency 1, 10 and 50 — wall time, statements/s, the client process's CPU.
 * Prints one table with the ratios and the issue's targets. Loopback only; every loop bounded.
 *
 *   npm run bench:small
 */
import { execFile } from "node:child_process"
import { loadavg } from "node:os"
import { join } from "node:path"
import { EMULATOR_ENTRY, launchEmulator, peakRssOf, stopEmulator } from "./small/emulatorProcess.js"
import { check, type Latency, latency, type SmallReport, values } from "./small/measure.js"
import { rawSession } from "./small/rawSession.js"

/** Statements timed right after launch, and then to see where latency settles. */
const FIRST = 50
const SETTLED = 500

const runClient = (script: string, url: string) =>
  new Promise<SmallReport>((resolve, reject) => {
    execFile(
      join("node_modules", ".bin", "vite-node"),
      [join("bench", "clients", script), url],
      { maxBuffer: 1 << 20, timeout: 10 * 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${script} failed: ${stderr || error.message}`))
        resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "") as SmallReport)
      }
    )
  })

const timed = async (inputs: ReadonlyArray<number>, one: (value: number) => Promise<void>) => {
  const samples: Array<number> = []
  let firstEnded = 0
  for (const value of inputs) {
    const t0 = performance.now()
    await one(value)
    samples.push(performance.now() - t0)
    if (firstEnded === 0) firstEnded = performance.now()
  }
  return { samples, firstEnded }
}

const load = loadavg()[0]!.toFixed(1)
const emulator = await launchEmulator()
const measured = await (async () => {
  try {
    const session = await rawSession(emulator.url)
    const one = async (value: number) => check(value, await session.double(value))
    const first = await timed(values(FIRST, 0), one)
    const settled = await timed(values(SETTLED, FIRST), one)
    session.close()
    const rssAfterStart = peakRssOf(emulator.child.pid)
    const raw = await runClient("smallRaw.ts", emulator.url)
    const ours = await runClient("smallOurs.ts", emulator.url)
    const sdk = await runClient("smallSdk.ts", emulator.url)
    return {
      firstAnswerMs: first.firstEnded - emulator.launchedAt,
      first: latency(first.samples),
      settled: latency(settled.samples),
      rssAfterStart,
      rssPeak: peakRssOf(emulator.child.pid),
      raw,
      ours,
      sdk
    }
  } finally {
    await stopEmulator(emulator.child)
  }
})()

const { raw, ours, sdk } = measured
const ms = (n: number | undefined) => (n === undefined ? "n/a" : n < 10 ? n.toFixed(2) : n.toFixed(0))
const mb = (bytes: number | undefined) =>
  bytes === undefined ? "n/a" : `${(bytes / 1024 / 1024).toFixed(0)} MB`
const verdict = (ok: boolean) => (ok ? "met" : "NOT met")
const row = (label: string, a: string, b: string, ratio = "", target = "") =>
  `${label.padEnd(34)}${a.padStart(18)}${b.padStart(16)}${ratio.padStart(10)}   ${target}`
const lat = (l: Latency) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`

const lines = [
  `short statements: ${"`SELECT ? * 2`"}, one distinct bind each; pools of 10; 1-minute load average ${load} (2 cores)`,
  `emulator: node ${EMULATOR_ENTRY.join(" ")} (the built dist)`,
  "",
  row("", "effect-snowflake", "snowflake-sdk", "sdk/ours", "target"),
  row("start → first answer (ms)", ms(ours.firstAnswerMs), ms(sdk.firstAnswerMs), ""),
  row("sequential p50 (ms)", ms(ours.sequential.p50), ms(sdk.sequential.p50), ""),
  row("sequential p99 (ms)", ms(ours.sequential.p99), ms(sdk.sequential.p99), "")
]
for (const r of ours.runs) {
  const s = sdk.runs.find((x) => x.concurrency === r.concurrency)!
  const perSecond = (x: typeof r) => Math.round(x.statements / (x.wallMs / 1000))
  const cpu = (x: typeof r) => x.cpuMs / x.statements
  const speed = s.wallMs / r.wallMs
  const cpuRatio = cpu(s) / cpu(r)
  const at50 = r.concurrency === 50
  lines.push(
    row(
      `c=${r.concurrency}: ${r.statements} stmts, statements/s`,
      `${perSecond(r)} (${(r.wallMs / 1000).toFixed(2)} s)`,
      `${perSecond(s)} (${(s.wallMs / 1000).toFixed(2)} s)`,
      `${speed.toFixed(2)}×`,
      at50 ? `≥ 1.50× — ${verdict(speed >= 1.5)}` : ""
    ),
    row(
      `c=${r.concurrency}: client CPU per statement (ms)`,
      ms(cpu(r)),
      ms(cpu(s)),
      `${cpuRatio.toFixed(2)}×`,
      `≥ 2.00× — ${verdict(cpuRatio >= 2)}`
    )
  )
}
const overService = ours.sequential.p50 - raw.sequential.p50
lines.push(
  "",
  `emulator service time (raw keep-alive HTTP, one session): p50 ${ms(raw.sequential.p50)} ms, p99 ${ms(raw.sequential.p99)} ms`,
  `ours p50 − service p50: ${ms(overService)} ms (target ≤ 1 ms — ${verdict(overService <= 1)}); sdk p50 − service p50: ${ms(sdk.sequential.p50 - raw.sequential.p50)} ms`,
  "",
  `emulator launch → "listening": ${ms(emulator.listeningMs)} ms; → first answer (login + 1 statement): ${ms(measured.firstAnswerMs)} ms (target ≤ 1000 ms — ${verdict(measured.firstAnswerMs <= 1000)})`,
  `emulator latency p50 / p99 / max (ms): first ${FIRST} statements ${lat(measured.first)}; the ${SETTLED} after them ${lat(measured.settled)}`,
  `  p99 of the first ${FIRST} / settled p50: ${(measured.first.p99 / measured.settled.p50).toFixed(1)}× (target ≤ 2× — ${verdict(measured.first.p99 <= 2 * measured.settled.p50)})`,
  `emulator peak RSS: ${mb(measured.rssAfterStart)} after start and ${FIRST + SETTLED} statements, ${mb(measured.rssPeak)} at the end of the run`
)
process.stdout.write(`${lines.join("\n")}\n`)
