import { tokenize } from "./lexer.js"

/**
 * Splits a multi-statement text on `;` outside strings, quoted identifiers, comments and `$$`
 * bodies. Empty pieces (only whitespace/comments) are dropped; each piece is trimmed.
 */
export const splitStatements = (sql: string): ReadonlyArray<string> => {
  const statements: Array<string> = []
  let current = ""
  let meaningful = false
  for (const token of tokenize(sql)) {
    if (token.kind === "punct" && token.text === ";") {
      if (meaningful) statements.push(current.trim())
      current = ""
      meaningful = false
      continue
    }
    current += token.text
    if (token.kind !== "space" && token.kind !== "comment") meaningful = true
  }
  if (meaningful) statements.push(current.trim())
  return statements
}
