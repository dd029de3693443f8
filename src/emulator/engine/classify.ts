/** What kind of statement a text is, by its leading keywords (PROTOCOL.md §5.6 ids). */
import { significant, tokenize } from "./lexer.js"

export type StatementKind =
  | "query"
  | "insert"
  | "update"
  | "delete"
  | "merge"
  | "copy"
  | "use"
  | "show"
  | "describe"
  | "alter_session"
  | "transaction"
  | "ddl"
  | "unknown"

export const STATEMENT_TYPE_ID: Record<StatementKind, number> = {
  query: 4096,
  insert: 12544,
  update: 12800,
  delete: 13056,
  merge: 13312,
  copy: 13824,
  use: 17152,
  show: 17408,
  describe: 17664,
  alter_session: 16640,
  transaction: 20480,
  ddl: 24576,
  unknown: 0
}

export const leadingWords = (sql: string, n: number): Array<string> =>
  significant(tokenize(sql))
    .slice(0, n)
    .map((t) => (t.kind === "word" ? t.text.toUpperCase() : t.text))

export const classify = (sql: string): StatementKind => {
  const [first, second] = leadingWords(sql, 2)
  switch (first) {
    case "SELECT":
    case "WITH":
    case "VALUES":
    case "(":
    case "FROM":
    case "EXPLAIN":
    case "TABLE":
      return "query"
    case "INSERT":
      return "insert"
    case "UPDATE":
      return "update"
    case "DELETE":
      return "delete"
    case "MERGE":
      return "merge"
    case "COPY":
      return "copy"
    case "USE":
      return "use"
    case "SHOW":
      return "show"
    case "DESCRIBE":
    case "DESC":
      return "describe"
    case "ALTER":
      return second === "SESSION" ? "alter_session" : "ddl"
    case "BEGIN":
    case "START":
    case "COMMIT":
    case "ROLLBACK":
      return "transaction"
    case "CREATE":
    case "DROP":
    case "TRUNCATE":
    case "COMMENT":
    case "GRANT":
    case "REVOKE":
    case "UNDROP":
      return "ddl"
    default:
      return "unknown"
  }
}
