import { describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { make } from "../../../src/emulator/engine/index.js"

const ctx = { database: null, schema: null, warehouse: null, role: "SYSADMIN", user: "TEST" }

describe("smoke", () => {
  it.scoped("runs things", () =>
    Effect.gen(function* () {
      const engine = yield* make()
      const s = yield* engine.openSession(ctx)
      const show = (sql: string, o?: object) =>
        s.execute(sql, o).pipe(
          Effect.tap((r) =>
            Effect.sync(() =>
              console.log(
                sql,
                "\n ",
                r.columns.map((c) => `${c.name}:${c.type}`).join(" "),
                JSON.stringify(r.rows.slice(0, 3)),
                r.statementTypeId
              )
            )
          ),
          Effect.catchAll((e) => Effect.sync(() => console.log(sql, "\n  ERR", e)))
        )
      yield* show("select 1, 1 as a, 'x' as \"Mixed\", current_database(), count(*) from (select 1)")
      yield* show(
        "create table t (a number(10,2), b int, c varchar, d variant, e timestamp_ntz, f boolean, g date, h binary, i timestamp_tz, j float)"
      )
      yield* show(
        "insert into t values (1.5, 12345678901234567890123, 'x', parse_json('{\"a\":[1,2]}'), '1969-12-31 23:59:58.5', true, '1967-06-23', to_binary('48656C6C6F', 'HEX'), '2024-01-01 00:00:00 +05:00', 'nan')"
      )
      yield* show("insert into t (a, c) values (?, ?)", {
        bindings: {
          "1": { type: "FIXED", value: ["1", "2", "3"] },
          "2": { type: "TEXT", value: ["a", "b", null] }
        }
      })
      yield* show("select * from t")
      yield* show("select d:a[0], d:a, array_size(d:a), c from t")
      yield* show("update t set c = 'y' where a > 1")
      yield* show("delete from t where a = 3")
      yield* show(
        "select datediff('month', '2024-01-31', '2024-02-01'), dateadd(day, 1, '2024-02-28'::date), iff(1>2,'a','b'), nvl(null, 2), zeroifnull(null)"
      )
      yield* show("select f.value, f.index from t, lateral flatten(input => t.d:a) f")
      yield* show("select seq4(), uniform(1, 10, random()) r from table(generator(rowcount => 3))")
      yield* show("show tables")
      yield* show("show databases")
      yield* show("show schemas")
      yield* show("describe table t")
      yield* show("select table_name, table_schema from information_schema.tables")
      yield* show("select * from nope")
      yield* show("selec 1")
      yield* show("select nope from t")
      yield* show("create database d2")
      yield* show("show warehouses")
      yield* show("use warehouse compute_wh")
      yield* show("select current_database(), current_schema(), current_warehouse()")
    })
  )
})
