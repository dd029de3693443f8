/**
 * Records every Error the test process creates, for the secret scan. It must run before any other
 * module is evaluated (it is the first import of the first setup file), because Effect's error
 * classes (`Data.TaggedError`, `Schema.TaggedError`, the platform's `RequestError`) extend the
 * global `Error` at the moment their module is evaluated.
 *
 * Why a Proxy and not a subclass: a `class extends Error` replacement breaks `Error("x")` called
 * without `new`, and `Error.stackTraceLimit = 0` (which Effect sets around some constructions) would
 * land on the subclass instead of V8's real Error. A Proxy over the real constructors forwards
 * statics, calls and `instanceof` unchanged and sees every construction, including `super()` calls
 * from subclasses (the trap receives the subclass as `newTarget`).
 *
 * Not seen (and why that is acceptable): errors Node's core creates from its internal primordials
 * (a socket's ECONNRESET) — these never hold our secrets, only errors wrapping them do, and those
 * wrappers are seen; errors in other processes (the CLI tests' child emulator) — they reach the
 * tests as text, through errors this process creates; values thrown or failed that are not Errors.
 */
interface RecorderState {
  readonly recorded: Array<Error>
  readonly original: ErrorConstructor
}

const recording = <C extends object>(ctor: C, recorded: Array<Error>): C =>
  new Proxy(ctor, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target as never, args, newTarget) as Error
      recorded.push(instance)
      return instance
    },
    apply(target, thisArg, args) {
      const instance = Reflect.apply(target as never, thisArg, args) as Error
      recorded.push(instance)
      return instance
    }
  })

// Installed once per process: the state lives on globalThis, so a second evaluation of this
// module (another module graph in the same worker) drains the same list and patches nothing twice.
const key = Symbol.for("effect-snowflake/test/errorRecorder")
const global = globalThis as unknown as Record<string | symbol, unknown>
const state: RecorderState =
  (global[key] as RecorderState | undefined) ??
  (() => {
    const fresh: RecorderState = { recorded: [], original: globalThis.Error }
    for (const name of ["Error", "TypeError", "RangeError", "SyntaxError", "AggregateError"] as const) {
      global[name] = recording(global[name] as object, fresh.recorded)
    }
    global[key] = fresh
    return fresh
  })()

/** The real Error constructor, for errors the scan itself raises (no recorder frame in their stack). */
export const UnrecordedError: ErrorConstructor = state.original

/** The errors created since the last call, forgotten by this call. */
export const drainRecordedErrors = (): ReadonlyArray<Error> => state.recorded.splice(0, state.recorded.length)
