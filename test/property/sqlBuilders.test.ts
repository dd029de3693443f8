/**
 * Property: no string given to the SQL builders escapes its place. For any string, the rendered SQL
 * tokenizes to the same sequence as with a harmless value, with the string as one literal (or one
 * identifier) holding exactly the input. Then the emulator, running the rendered SQL, hands the
 * value back unchanged. Seeds are fixed so a failure reproduces.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as fc from "fast-check"
import { Emulator } from "../../src/emulator/index.js"
import { CopyInto, FileFormat, Snowflake } from "../../src/index.js"
import { literal, quoteIdentifier, quoteIdentifierExact, sqlName } from "../../src/sql/identifier.js"
import { options as clientOptions, emulatorOptions } from "../chaos/support/harness.js"
import { type Token, tokenize } from "./support/sqlTokens.js"

const SEED = 20261208

/** Any string, including quotes, backslashes, newlines, NUL and astral characters. */
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom("'", '"', "\\", ";", "-", "/", "*", "\n", "\0", "a", " ", ")", "$"),
    maxLength: 20
  })
)

/** Tokens of `render(value)` equal those of `render(probe)` with the probe's token replaced by `value`. */
const staysOneToken = (render: (value: string) => string, kind: Token["_tag"], value: string) => {
  const probe = "probe_value_x"
  const expected = tokenize(render(probe)).map((t) =>
    t._tag === kind && t.value === probe ? { _tag: kind, value } : t
  )
  assert.deepStrictEqual(tokenize(render(value)), expected, `rendered: ${render(value)}`)
}

describe("property: SQL builders keep any string one literal or identifier", () => {
  it("literal(s) is one string token holding s", () => {
    fc.assert(
      fc.property(anyString, (s) => staysOneToken((v) => `SELECT ${literal(v)} AS v`, "string", s)),
      { seed: SEED, numRuns: 500 }
    )
  })

  it("quoteIdentifierExact(s) is one identifier token holding s; quoteIdentifier(s) one token", () => {
    fc.assert(
      fc.property(
        anyString.filter((s) => s.length > 0),
        (s) => {
          staysOneToken((v) => `SELECT 1 AS ${quoteIdentifierExact(v)} FROM t`, "identifier", s)
          const quoted = tokenize(quoteIdentifier(s))
          assert.strictEqual(
            quoted.length,
            1,
            `quoteIdentifier(${JSON.stringify(s)}) = ${quoteIdentifier(s)}`
          )
          assert.include(["identifier", "word"], quoted[0]!._tag)
        }
      ),
      { seed: SEED, numRuns: 500 }
    )
  })

  it("sqlName of name parts: one identifier per part, joined by dots", () => {
    fc.assert(
      fc.property(
        fc.array(
          anyString.filter((s) => s.length > 0),
          { minLength: 1, maxLength: 3 }
        ),
        (parts) => {
          const tokens = tokenize(sqlName(parts))
          const names = tokens.filter((t) => t._tag !== "punct")
          assert.strictEqual(names.length, parts.length, sqlName(parts))
          assert.isTrue(
            tokens.every((t, i) =>
              i % 2 === 1 ? t._tag === "punct" && t.value === "." : t._tag !== "punct"
            ),
            sqlName(parts)
          )
        }
      ),
      { seed: SEED, numRuns: 300 }
    )
  })

  const stringOptions = [
    "recordDelimiter",
    "fieldDelimiter",
    "escape",
    "dateFormat",
    "timestampFormat",
    "encoding"
  ] as const

  it("FileFormat.render: a string option's value stays one literal (or the NONE keyword)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...stringOptions),
        anyString.filter((s) => s !== "NONE"),
        (key, s) => staysOneToken((v) => FileFormat.render(FileFormat.csv({ [key]: v })), "string", s)
      ),
      { seed: SEED, numRuns: 300 }
    )
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 3 }), (values) => {
        const tokens = tokenize(FileFormat.render(FileFormat.csv({ nullIf: values })))
        assert.deepStrictEqual(
          tokens.filter((t) => t._tag === "string").map((t) => t.value),
          values
        )
      }),
      { seed: SEED, numRuns: 200 }
    )
  })

  it("CopyInto.render: a table name stays one identifier and a pattern one literal", () => {
    fc.assert(
      fc.property(
        anyString.filter((s) => s.length > 0),
        anyString,
        (name, pattern) => {
          const render = (n: string, p: string) =>
            CopyInto.table([n]).pipe(CopyInto.from("@~/staged"), CopyInto.pattern(p), CopyInto.render)
          const rendered = render(name, pattern)
          const probe = render("probe_table", "probe_pattern")
          assert.isTrue(Either.isRight(probe))
          // Refusing a value (an invalid PATTERN regex) is safe; only what renders must stay in place.
          if (Either.isLeft(rendered) || Either.isLeft(probe)) return
          const got = tokenize(rendered.right)
          const want = tokenize(probe.right).flatMap((t): ReadonlyArray<Token> => {
            if (t.value === "probe_pattern") return [{ _tag: "string", value: pattern }]
            if (t.value === "probe_table") return tokenize(quoteIdentifier(name))
            return [t]
          })
          assert.deepStrictEqual(got, want, rendered.right)
        }
      ),
      { seed: SEED, numRuns: 300 }
    )
  })

  it("CopyInto.select: an expression list that validates has no statement break or comment outside literals", () => {
    fc.assert(
      fc.property(fc.array(anyString, { minLength: 1, maxLength: 3 }), (expressions) => {
        const rendered = CopyInto.table("t").pipe(
          CopyInto.from("@~/staged"),
          CopyInto.select(expressions),
          CopyInto.render
        )
        if (Either.isLeft(rendered)) return
        let tokens: ReadonlyArray<Token>
        try {
          tokens = tokenize(rendered.right)
        } catch (e) {
          assert.fail(`accepted ${JSON.stringify(expressions)} renders unbalanced SQL: ${String(e)}`)
        }
        const puncts = tokens.map((t) => (t._tag === "punct" ? t.value : " ")).join("")
        assert.notInclude(puncts, ";", rendered.right)
        assert.notInclude(puncts, "--", rendered.right)
        assert.notInclude(puncts, "/*", rendered.right)
      }),
      // The first example passed validation once: a `"` was taken for plain text, so `'"; …; "'`
      // looked like one string literal.
      { seed: SEED, numRuns: 500, examples: [[[`"'"; DROP TABLE t; SELECT 1 AS "'"`]], [['"']]] }
    )
  })

  it.scopedLive("the emulator returns literal(s) as s, and names a column quoteIdentifierExact(s) as s", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start(emulatorOptions)
      const context = yield* Layer.build(Snowflake.layer(clientOptions(emulator.url)))
      const sf = yield* Effect.provide(Snowflake.Client, context)
      // NUL is left out: neither Snowflake's VARCHAR nor DuckDB's holds it.
      const text = anyString.map((s) => s.replaceAll("\u0000", ""))
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(text, { minLength: 1, maxLength: 8 }),
            fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes("\u0000")),
            async (values, column) => {
              const sql = `SELECT ${values.map((v, i) => `${literal(v)} AS C${i}`).join(", ")}, 1 AS ${quoteIdentifierExact(column)}`
              const result = await Effect.runPromise(sf.execute(sql, { rowMode: "array" }))
              assert.deepStrictEqual(result.rows[0]!.slice(0, values.length), values, sql)
              assert.strictEqual(result.columns.at(-1)!.name, column, sql)
            }
          ),
          { seed: SEED, numRuns: 60 }
        )
      )
    })
  )
})
