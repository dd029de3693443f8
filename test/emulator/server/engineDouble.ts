/**
 * A tiny stand-in engine for unit tests of the protocol handling only. It understands a handful
 * of fake statements: `select 1`, `rows N`, `sleep MS`, `count`, `bad`.
 */
import { Effect } from "effect"
import type {
  ColumnMeta,
  Engine,
  SessionContext,
  StatementResult
} from "../../../src/emulator/engine/Engine.js"
import { EngineError } from "../../../src/emulator/engine/Engine.js"

const column = (name: string, type: ColumnMeta["type"]): ColumnMeta => ({
  name,
  type,
  precision: type === "fixed" ? 38 : null,
  scale: type === "fixed" ? 0 : null,
  length: type === "text" ? 16777216 : null,
  byteLength: type === "text" ? 16777216 : null,
  nullable: true,
  database: "",
  schema: "",
  table: "",
  collation: null
})

export interface EngineDouble extends Engine {
  /** How many times each statement text was executed. */
  readonly executions: Map<string, number>
}

export const makeEngineDouble = (): EngineDouble => {
  const executions = new Map<string, number>()
  return {
    executions,
    splitStatements: (sql) =>
      sql
        .split(";")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    openSession: (initial: SessionContext) =>
      Effect.succeed({
        context: Effect.succeed(initial),
        execute: (sql, options) =>
          Effect.gen(function* () {
            const text = sql.trim().replace(/;$/, "").toLowerCase()
            executions.set(text, (executions.get(text) ?? 0) + 1)
            const result = (
              columns: Array<ColumnMeta>,
              rows: Array<Array<string | null>>
            ): StatementResult => ({
              columns,
              rows,
              statementTypeId: 4096,
              context: initial,
              ...(options?.describeOnly ? { numberOfBinds: Object.keys(options.bindings ?? {}).length } : {})
            })
            if (text === "select 1") return result([column("1", "fixed")], [["1"]])
            if (text === "select ?") {
              const b = options?.bindings?.["1"]
              return result([column("?", "text")], [[typeof b?.value === "string" ? b.value : null]])
            }
            const rows = /^rows (\d+)$/.exec(text)
            if (rows) {
              const n = Number(rows[1])
              return result(
                [column("N", "fixed"), column("S", "text")],
                Array.from({ length: n }, (_, i) => [String(i), `row${i}`])
              )
            }
            const sleep = /^sleep (\d+)$/.exec(text)
            if (sleep) {
              yield* Effect.sleep(`${Number(sleep[1])} millis`)
              return result([column("SLEPT", "fixed")], [[sleep[1]!]])
            }
            if (text === "insert") {
              return {
                ...result([column("number of rows inserted", "fixed")], [["1"]]),
                statementTypeId: 0x3100,
                stats: { numRowsInserted: 1, numRowsDeleted: 0, numRowsUpdated: 0, numDmlDuplicates: 0 }
              }
            }
            return yield* Effect.fail(
              new EngineError(
                "001003",
                "42000",
                "SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'bad'.",
                {
                  line: 1,
                  pos: 0,
                  type: "COMPILATION"
                }
              )
            )
          })
      }) satisfies Effect.Effect<import("../../../src/emulator/engine/Engine.js").EngineSession>
  }
}
