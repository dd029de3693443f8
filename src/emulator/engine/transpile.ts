/**
 * Snowflake → DuckDB translation: our token rewrites around polyglot's transpiler. The
 * context-free part is cached per statement text; the context-dependent part (CURRENT_DATABASE(),
 * INFORMATION_SCHEMA of the current database) runs per execution.
 */
import { Dialect, transpile as polyglot } from "@polyglot-sql/sdk"
import { afterTranspile, beforeTranspile, type SessionFacts } from "./rewrite.js"
import { aliasSelectItems } from "./selectNames.js"

const CACHE_LIMIT = 500
const cache = new Map<string, string>()

const contextFree = (sql: string): string => {
  const cached = cache.get(sql)
  if (cached !== undefined) return cached
  const prepared = beforeTranspile(aliasSelectItems(sql))
  let translated: string
  try {
    const result = polyglot(prepared, Dialect.Snowflake, Dialect.DuckDB)
    // when polyglot cannot parse it, DuckDB often can (its dialect is close): let DuckDB judge
    translated =
      result.success && result.sql && result.sql.length === 1 ? (result.sql[0] as string) : prepared
  } catch {
    translated = prepared
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  cache.set(sql, translated)
  return translated
}

export const toDuckDb = (sql: string, facts: SessionFacts): string => afterTranspile(contextFree(sql), facts)
