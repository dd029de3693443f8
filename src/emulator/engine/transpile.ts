/**
 * Snowflake → DuckDB translation: our token rewrites around polyglot's transpiler. The
 * context-free part is cached per statement text; the context-dependent part (CURRENT_DATABASE(),
 * INFORMATION_SCHEMA of the current database) runs per execution.
 */
import { Dialect, transpile as polyglot } from "@polyglot-sql/sdk"
import { afterTranspile, beforeTranspile, renameTranslated, type SessionFacts } from "./rewrite.js"
import { aliasSelectItems } from "./selectNames.js"
import { valuesTables } from "./valuesTables.js"

const CACHE_LIMIT = 500
const cache = new Map<string, string>()

const contextFree = (sql: string): string => {
  const cached = cache.get(sql)
  if (cached !== undefined) return cached
  const prepared = beforeTranspile(aliasSelectItems(valuesTables(sql)))
  let translated: string
  try {
    const result = polyglot(prepared, Dialect.Snowflake, Dialect.DuckDB)
    // when polyglot cannot parse it, DuckDB often can (its dialect is close): let DuckDB judge
    translated =
      result.success && result.sql && result.sql.length === 1 ? (result.sql[0] as string) : prepared
  } catch {
    translated = prepared
  }
  translated = renameTranslated(generatorSeq(translated))
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  cache.set(sql, translated)
  return translated
}

/**
 * polyglot turns SEQn() directly in a GENERATOR's select list into `range % 2^(8n)`, but anywhere
 * else (inside an expression such as `'x' || SEQ8()`, in a subquery, in WHERE) into
 * `(ROW_NUMBER() OVER (ORDER BY 1 NULLS FIRST) - 1) % 2^(8n)`: a window that makes DuckDB
 * materialise the whole input, once per occurrence. When the statement reads exactly one
 * GENERATOR (`FROM RANGE(n)`), `range` is that generator's row number, so use it everywhere.
 * `% 2^64` is dropped: `range` is a BIGINT that never reaches 2^63, and the modulo made every
 * SEQ8 a HUGEINT (slow to compute and to encode).
 */
const ROW_NUMBER_SEQ = /\(ROW_NUMBER\(\) OVER \(ORDER BY 1 NULLS FIRST\) - 1\) % (\d+)/g
const SEQ8_MODULO = /\brange % 18446744073709551616\b/g

export const generatorSeq = (duckSql: string): string => {
  const generators = duckSql.match(/\bRANGE\s*\(/gi)?.length ?? 0
  if (generators !== 1 || !/\bFROM\s+RANGE\s*\(/i.test(duckSql)) return duckSql
  return duckSql.replace(ROW_NUMBER_SEQ, "range % $1").replace(SEQ8_MODULO, "range")
}

/** polyglot compiles its WASM module on first use (about a second): pay that when the engine starts. */
export const warmUp = (): void => {
  contextFree("SELECT 1")
}

export const toDuckDb = (sql: string, facts: SessionFacts): string => afterTranspile(contextFree(sql), facts)
