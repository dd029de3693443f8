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
 *   npx vite-node bench/small.ts --emulator-only 5              # five launches, no clients
 *   npx vite-node bench/small.ts --emulator-only 5 --root DIR   # another checkout's build
 */
import { execFile } from "node:child_process"
import { availableParallelism, loadavg } from "node:os"
import { join } from "node:path"
import {
  cpuOf,
  EMULATOR_ENTRY,
  type LaunchedEmulator,
  launchEmulator,
  peakRssOf,
  stopEmulator
} from "./small/emulatorProcess.js"
import { check, type Latency, latency, percentile, type SmallReport, values } from "./small/measure.js"
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

/** Times each statement; notes when the first one ended and the emulator's CPU by then. */
const timed = async (inputs: ReadonlyArray<number>, one: (value: number) => Promise<void>, pid?: number) => {
  const samples: Array<number> = []
  let firstEnded = 0
  let firstCpu: number | undefined
  for (const value of inputs) {
    const t0 = performance.now()
    await one(value)
    samples.push(performance.now() - t0)
    if (firstEnded === 0) {
      firstEnded = performance.now()
      firstCpu = cpuOf(pid)
    }
  }
  return { samples, firstEnded, firstCpu, cpu: cpuOf(pid) }
}

const argument = (flag: string) => {
  const i = process.argv.indexOf(flag)
  return i < 0 ? undefined : process.argv[i + 1]
}
/** `--emulator-only N`: N launches of the emulator, no clients (to compare starts quickly). */
const emulatorOnly = argument("--emulator-only")
/** `--root DIR`: another checkout's built emulator (e.g. an older commit's, to compare). */
const root = argument("--root") ?? "."

interface StartMeasure {
  readonly listeningMs: number
  readonly listeningCpuMs: number | undefined
  readonly firstAnswerMs: number
  readonly firstAnswerCpuMs: number | undefined
  readonly first: Latency
  readonly settled: Latency
  readonly rssAfterStart: number | undefined
  /** The emulator's CPU per statement (ms): over the first FIRST (after the first answer), and after them. */
  readonly firstCpuPerStatement: number | undefined
  readonly settledCpuPerStatement: number | undefined
}

const perStatement = (from: number | undefined, to: number | undefined, count: number) =>
  from === undefined || to === undefined ? undefined : (to - from) / count

/** Launch → listening → first answer, then the first statements against the settled ones. */
const measureStart = async (emulator: LaunchedEmulator): Promise<StartMeasure> => {
  const session = await rawSession(emulator.url)
  const one = async (value: number) => check(value, await session.double(value))
  const first = await timed(values(FIRST, 0), one, emulator.child.pid)
  const settled = await timed(values(SETTLED, FIRST), one, emulator.child.pid)
  session.close()
  return {
    listeningMs: emulator.listeningMs,
    listeningCpuMs: emulator.listeningCpuMs,
    firstAnswerMs: first.firstEnded - emulator.launchedAt,
    firstAnswerCpuMs: first.firstCpu,
    first: latency(first.samples),
    settled: latency(settled.samples),
    rssAfterStart: peakRssOf(emulator.child.pid),
    firstCpuPerStatement: perStatement(first.firstCpu, first.cpu, FIRST - 1),
    settledCpuPerStatement: perStatement(first.cpu, settled.cpu, SETTLED)
  }
}

const ms = (n: number | undefined) => (n === undefined ? "n/a" : n < 10 ? n.toFixed(2) : n.toFixed(0))
const mb = (bytes: number | undefined) =>
  bytes === undefined ? "n/a" : `${(bytes / 1024 / 1024).toFixed(0)} MB`
const verdict = (ok: boolean) => (ok ? "met" : "NOT met")
const lat = (l: Latency) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`

const startLines = (m: StartMeasure) => [
  `emulator launch → "listening": ${ms(m.listeningMs)} ms (emulator CPU ${ms(m.listeningCpuMs)} ms); → first answer (login + 1 statement): ${ms(m.firstAnswerMs)} ms (CPU ${ms(m.firstAnswerCpuMs)} ms; target ≤ 1000 ms — ${verdict(m.firstAnswerMs <= 1000)})`,
  `emulator latency p50 / p99 / max (ms): first ${FIRST} statements ${lat(m.first)}; the ${SETTLED} after them ${lat(m.settled)}`,
  `emulator CPU per statement (ms; what load does not stretch): first ${FIRST} ${ms(m.firstCpuPerStatement)}, the ${SETTLED} after them ${ms(m.settledCpuPerStatement)}`,
  `  p99 of the first ${FIRST} / settled p50: ${(m.first.p99 / m.settled.p50).toFixed(1)}× (target ≤ 2× — ${verdict(m.first.p99 <= 2 * m.settled.p50)})`
]

const load = loadavg()[0]!.toFixed(1)
const header = [
  `1-minute load average ${load} (${availableParallelism()} cores)`,
  `emulator: node ${EMULATOR_ENTRY.join(" ")} (the built dist${root === "." ? "" : ` in ${root}`})`
]

if (emulatorOnly !== undefined) {
  const starts: Array<StartMeasure> = []
  process.stdout.write(`${header.join("\n")}\n`)
  for (let i = 0; i < Number(emulatorOnly); i++) {
    const emulator = await launchEmulator(root)
    try {
      const m = await measureStart(emulator)
      starts.push(m)
      process.stdout.write(
        `\nlaunch ${i + 1}\n${startLines(m).join("\n")}\npeak RSS ${mb(m.rssAfterStart)}\n`
      )
    } finally {
      await stopEmulator(emulator.child)
    }
  }
  const median = (f: (m: StartMeasure) => number | undefined) =>
    ms(
      percentile(
        starts.map((m) => f(m) ?? Number.NaN),
        0.5
      )
    )
  process.stdout.write(
    `\nmedians over ${starts.length}: listening ${median((m) => m.listeningMs)} ms (CPU ${median((m) => m.listeningCpuMs)} ms), first answer ${median((m) => m.firstAnswerMs)} ms (CPU ${median((m) => m.firstAnswerCpuMs)} ms), first ${FIRST} p99 ${median((m) => m.first.p99)} ms, settled p50 ${median((m) => m.settled.p50)} ms, emulator CPU per statement first ${FIRST} ${median((m) => m.firstCpuPerStatement)} ms / settled ${median((m) => m.settledCpuPerStatement)} ms, peak RSS ${mb(Number(median((m) => m.rssAfterStart)))}\n`
  )
  process.exit(0)
}

const emulator = await launchEmulator(root)
const measured = await (async () => {
  try {
    const start = await measureStart(emulator)
    const raw = await runClient("smallRaw.ts", emulator.url)
    const ours = await runClient("smallOurs.ts", emulator.url)
    const sdk = await runClient("smallSdk.ts", emulator.url)
    return { start, rssPeak: peakRssOf(emulator.child.pid), raw, ours, sdk }
  } finally {
    await stopEmulator(emulator.child)
  }
})()

const { raw, ours, sdk } = measured
const row = (label: string, a: string, b: string, ratio = "", target = "") =>
  `${label.padEnd(34)}${a.padStart(18)}${b.padStart(16)}${ratio.padStart(10)}   ${target}`

const lines = [
  `short statements: ${"`SELECT ? * 2`"}, one distinct bind each; pools of 10`,
  ...header,
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
  ...startLines(measured.start),
  `emulator peak RSS: ${mb(measured.start.rssAfterStart)} after start and ${FIRST + SETTLED} statements, ${mb(measured.rssPeak)} at the end of the run`
)
process.stdout.write(`${lines.join("\n")}\n`)
