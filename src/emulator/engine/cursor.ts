/**
 * A cursor over a statement's tokens, and the two shapes of the translation's passes
 * (transpile.ts lists them in order). A pass either walks the tokens with its named rules — at
 * each token the first rule that takes it emits its replacement and moves past what it replaced,
 * else the token goes out as it is — or reads the whole statement itself (a `Pass` of its own).
 * Lookups answer `undefined` past either end, so no pass needs an index cast.
 */
import { type Token, tokenize } from "./lexer.js"

const isSignificant = (t: Token) => t.kind !== "space" && t.kind !== "comment"

export class TokenCursor {
  private position = 0
  /** Upper-cased words, by index, computed once: every rule of a walk asks for them. */
  private readonly uppers: Array<string | undefined> = []

  constructor(readonly tokens: ReadonlyArray<Token>) {}

  static of(sql: string): TokenCursor {
    return new TokenCursor(tokenize(sql))
  }

  /** Index of the current token. */
  get index(): number {
    return this.position
  }

  get done(): boolean {
    return this.position >= this.tokens.length
  }

  /** The current token (undefined at the end). */
  get current(): Token | undefined {
    return this.tokens[this.position]
  }

  /** The current token's upper-case text when it is a word (keyword or unquoted name), else "". */
  get word(): string {
    return this.wordAt(this.position)
  }

  /** The upper-case text of the token at `index` when it is a word, else "". */
  wordAt(index: number): string {
    const cached = this.uppers[index]
    if (cached !== undefined) return cached
    const t = this.at(index)
    const upper = t?.kind === "word" ? t.text.toUpperCase() : ""
    if (t !== undefined) this.uppers[index] = upper
    return upper
  }

  /** The token at `index` (undefined outside the statement). */
  at(index: number): Token | undefined {
    return index < 0 ? undefined : this.tokens[index]
  }

  /** Moves past the current token. */
  advance(): void {
    this.position++
  }

  /** Moves to just after the token at `index` (what a rule replaced ends there). */
  skipPast(index: number): void {
    this.position = index + 1
  }

  /** The significant tokens among the next `window` tokens after the current one. */
  ahead(window: number): Array<Token> {
    return this.tokens.slice(this.position + 1, this.position + 1 + window).filter(isSignificant)
  }

  /** The last significant token before the current one. */
  behind(): Token | undefined {
    return this.at(this.previousSignificant(this.position - 1))
  }

  /** Index of the first significant token at or after `from`, or -1. */
  nextSignificant(from: number): number {
    for (let i = Math.max(from, 0); i < this.tokens.length; i++) {
      const t = this.tokens[i]
      if (t !== undefined && isSignificant(t)) return i
    }
    return -1
  }

  /** Index of the last significant token at or before `from`, or -1. */
  previousSignificant(from: number): number {
    for (let i = Math.min(from, this.tokens.length - 1); i >= 0; i--) {
      const t = this.tokens[i]
      if (t !== undefined && isSignificant(t)) return i
    }
    return -1
  }

  /** Index of the `)` closing the `(` at `open`, or -1. */
  closing(open: number): number {
    let depth = 0
    for (let i = Math.max(open, 0); i < this.tokens.length; i++) {
      const t = this.tokens[i]
      if (t === undefined || t.kind !== "punct") continue
      if (t.text === "(") depth++
      else if (t.text === ")" && --depth === 0) return i
    }
    return -1
  }

  /** Index of `token` (a token of this statement), or -1. */
  indexOf(token: Token | undefined): number {
    return token === undefined ? -1 : this.tokens.indexOf(token)
  }

  /** The text of tokens `from` up to (not including) `to`. */
  text(from: number, to: number = this.tokens.length): string {
    return textOf(this.tokens.slice(Math.max(from, 0), to))
  }
}

export const textOf = (tokens: ReadonlyArray<Token>): string => tokens.map((t) => t.text).join("")

/** A rewrite of a whole statement's text. */
export interface Pass<Facts = void> {
  readonly name: string
  readonly run: (sql: string, facts: Facts) => string
}

/**
 * One rule of a walk: at the cursor's token, its replacement text (having moved the cursor past
 * what it replaces), or undefined when the token is not the rule's (the cursor left where it is).
 * `again` runs the whole walk on a piece of text (a call's arguments, a cast's operand).
 */
export interface Rule<Facts = void> {
  readonly name: string
  readonly apply: (cursor: TokenCursor, facts: Facts, again: (sql: string) => string) => string | undefined
}

/**
 * A pass that walks the tokens once, trying `rules` in order at each one; `worthIt` skips the
 * walk for a text none of the rules can apply to.
 */
export const walk = <Facts = void>(
  name: string,
  rules: ReadonlyArray<Rule<Facts>>,
  worthIt: (sql: string) => boolean = () => true
): Pass<Facts> => {
  const run = (sql: string, facts: Facts): string => {
    if (!worthIt(sql)) return sql
    const again = (text: string) => run(text, facts)
    const cursor = TokenCursor.of(sql)
    const out: Array<string> = []
    while (!cursor.done) {
      let emitted: string | undefined
      for (const rule of rules) {
        emitted = rule.apply(cursor, facts, again)
        if (emitted !== undefined) break
      }
      if (emitted !== undefined) out.push(emitted)
      else {
        out.push(cursor.current?.text ?? "")
        cursor.advance()
      }
    }
    return out.join("")
  }
  return { name, run }
}
