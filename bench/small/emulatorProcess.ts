/**
 * The emulator as a user starts it: `effect-snowflake emulator --port 0` as its own process (node
 * on the built dist, through the package's bin), timed from launch to its "listening" line, then
 * to the first answer of a raw session; its peak RSS read from /proc.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createInterface } from "node:readline"

/** The package's bin, relative to the checkout (or to another one given as `root`). */
export const EMULATOR_ENTRY = ["bin/effect-snowflake.js", "emulator", "--port", "0"] as const

export interface LaunchedEmulator {
  readonly url: string
  readonly child: ChildProcess
  /** performance.now() just before the spawn. */
  readonly launchedAt: number
  readonly listeningMs: number
  /** CPU (user + system, every thread) the emulator had used when it printed its URL. */
  readonly listeningCpuMs: number | undefined
}

/** Spawns the emulator and resolves once it prints its URL (bounded by `timeoutMs`). */
export const launchEmulator = (root = ".", timeoutMs = 60_000): Promise<LaunchedEmulator> =>
  new Promise((resolve, reject) => {
    const launchedAt = performance.now()
    const child = spawn(process.execPath, [...EMULATOR_ENTRY], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"]
    })
    const timer = setTimeout(() => {
      child.kill("SIGINT")
      reject(new Error(`the emulator did not print its URL within ${timeoutMs} ms`))
    }, timeoutMs)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`the emulator exited with ${code}`))
    })
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^listening on (\S+)$/.exec(line)
      if (match === null) return
      clearTimeout(timer)
      const listeningMs = performance.now() - launchedAt
      resolve({ url: match[1]!, child, launchedAt, listeningMs, listeningCpuMs: cpuOf(child.pid) })
    })
  })

/** Peak resident set size (VmHWM) of process `pid`, in bytes; undefined off Linux. */
export const peakRssOf = (pid: number | undefined): number | undefined => {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/**
 * CPU time (user + system, all threads) of process `pid` so far, in ms; undefined off Linux. Under
 * load, wall times stretch with the machine's other work; this does much less.
 */
export const cpuOf = (pid: number | undefined): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // fields after the parenthesised command name: utime and stime are the 12th and 13th
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return undefined
  }
}

/** USER_HZ: 100 on every Linux that matters. */
const CLOCK_TICKS = 100

/** Stops the emulator and waits for it to exit. */
export const stopEmulator = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.removeAllListeners("exit")
    child.once("exit", () => resolve())
    child.kill("SIGINT")
  })
