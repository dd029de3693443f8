/**
 * A statement failure in Snowflake's terms: string code, SQLSTATE, message (PROTOCOL.md §8.1).
 * Every error the emulator raises is built by one of the named constructors below, so each
 * Snowflake code and its SQLSTATE are written once, next to the words Snowflake uses for it.
 */

/** Where a compilation error points (1-based line, 0-based position) and its error type. */
export interface ErrorDetails {
  readonly line?: number
  readonly pos?: number
  readonly type?: string
}

/** Line and position of a syntax error. */
export interface At {
  readonly line: number
  readonly pos: number
}

const COMPILATION = { type: "COMPILATION" } as const

export class EngineError {
  readonly _tag = "EngineError"
  constructor(
    readonly code: string,
    readonly sqlState: string,
    readonly message: string,
    readonly details: ErrorDetails = {}
  ) {}

  // ── compilation: syntax, names, objects ───────────────────────────────────────────────────

  /** 001003: `SQL compilation error:\n<message>`, pointing at `at` when known. */
  static syntax(message: string, at?: At): EngineError {
    return new EngineError("001003", "42000", `SQL compilation error:\n${message}`, { ...at, ...COMPILATION })
  }

  /** 001003 at a token: `syntax error line L at position P unexpected 'X'.` */
  static unexpected(unexpected: string, at: At): EngineError {
    return EngineError.syntax(
      `syntax error line ${at.line} at position ${at.pos} unexpected '${unexpected}'.`,
      at
    )
  }

  /** 002003: something a statement names is not there (`message` says what). */
  static missing(
    message: string,
    sqlState: "02000" | "42S02" = "02000",
    details: ErrorDetails = {}
  ): EngineError {
    return new EngineError("002003", sqlState, `SQL compilation error:\n${message}`, details)
  }

  /**
   * 002003: `<subject> does not exist or not authorized.` — `subject` is how Snowflake names the
   * object (`Object 'DB.S.T'`, `Database 'DB'`, `Stage 'S'`); its SQLSTATE varies with the statement.
   */
  static notFound(
    subject: string,
    sqlState: "02000" | "42S02" = "02000",
    details: ErrorDetails = {}
  ): EngineError {
    return EngineError.missing(`${subject} does not exist or not authorized.`, sqlState, details)
  }

  /** 002003 for a table, view or warehouse named in a statement. */
  static objectNotFound(name: string): EngineError {
    return EngineError.notFound(`Object '${name}'`, "42S02", COMPILATION)
  }

  /** 002043: USE of a database or schema that is not there. */
  static cannotUse(): EngineError {
    return new EngineError(
      "002043",
      "02000",
      "SQL compilation error:\nObject does not exist, or operation cannot be performed."
    )
  }

  /**
   * 002002: CREATE of an object that exists. The engine's DDL sends it as a COMPILATION error;
   * the stages' CREATE sends it with no type (`details` = {}), as it always has.
   */
  static alreadyExists(name: string, details: ErrorDetails = COMPILATION): EngineError {
    return new EngineError(
      "002002",
      "42710",
      `SQL compilation error:\nObject '${name}' already exists.`,
      details
    )
  }

  /** 002140: a function neither DuckDB nor our macros know. */
  static unknownFunction(name: string, at: At): EngineError {
    return new EngineError("002140", "42601", `SQL compilation error:\nUnknown function ${name}`, {
      ...at,
      ...COMPILATION
    })
  }

  /** 000904: a column that is not there. */
  static invalidIdentifier(name: string, at: At): EngineError {
    return new EngineError(
      "000904",
      "42000",
      `SQL compilation error: error line ${at.line} at position ${at.pos}\ninvalid identifier '${name}'`,
      { ...at, ...COMPILATION }
    )
  }

  /** 002262: any other compilation failure, in DuckDB's words. */
  static compilation(message: string): EngineError {
    return new EngineError("002262", "42000", `SQL compilation error:\n${message}`, COMPILATION)
  }

  /** 002019: a COPY whose file format cannot fill the target's columns. */
  static copyColumns(message: string): EngineError {
    return new EngineError("002019", "0A000", `SQL compilation error:\n${message}`)
  }

  /** 002020: a COPY transform with as many expressions as `got`, for `expecting` columns. */
  static valueListMismatch(expecting: number, got: number): EngineError {
    return new EngineError(
      "002020",
      "21S01",
      `SQL compilation error:\nInsert value list does not match column list expecting ${expecting} but got ${got}`
    )
  }

  /** 002010: a COPY option that the statement's form does not allow. */
  static copyOptionUnsupported(message: string): EngineError {
    return new EngineError("002010", "0A000", `SQL compilation error:\n${message}`)
  }

  /** 040050: ALTER of a VARCHAR column to a shorter length. */
  static varcharReduced(column: string, from: number, to: number): EngineError {
    return new EngineError(
      "040050",
      "22000",
      `SQL compilation error:\ncannot change column ${column} from type VARCHAR(${from}) to VARCHAR(${to}) because reducing the byte-length of varchar is not supported.`,
      COMPILATION
    )
  }

  // ── binds ──────────────────────────────────────────────────────────────────────────────────

  /** 002049: bind values that do not fit the statement (`message` as it is sent). */
  static binding(message: string): EngineError {
    return new EngineError("002049", "22000", message)
  }

  /** 000002: a feature the emulator does not have. */
  static unsupported(feature: string): EngineError {
    return new EngineError("000002", "0A000", `Unsupported feature '${feature}'.`)
  }

  // ── values ─────────────────────────────────────────────────────────────────────────────────

  /** 100038: a value that is not a number (or any other conversion, in DuckDB's words). */
  static notANumber(value: string): EngineError {
    return EngineError.conversion(`Numeric value '${value}' is not recognized`)
  }

  static conversion(message: string): EngineError {
    return new EngineError("100038", "22018", message)
  }

  /** 100040: a value that is not a date. */
  static notADate(value: string): EngineError {
    return new EngineError("100040", "22007", `Date '${value}' is not recognized`)
  }

  /** 100035: a value that is not a timestamp. */
  static notATimestamp(value: string): EngineError {
    return new EngineError("100035", "22007", `Timestamp '${value}' is not recognized`)
  }

  /** 100046: a number out of its type's range. */
  static outOfRange(message: string): EngineError {
    return new EngineError("100046", "22003", `Number out of representable range: ${message}`)
  }

  /** 100064: BINARY text that is not hex. */
  static notHex(value: string): EngineError {
    return new EngineError(
      "100064",
      "22000",
      `The following string is not a legal hex-encoded value: '${value}'`
    )
  }

  /** 100069: text that is not JSON. */
  static notJson(message: string): EngineError {
    return new EngineError("100069", "22P02", `Error parsing JSON: ${message}`)
  }

  /** 100078: a string longer than its column's (or cast's) length; `quoted` as lengths.ts cuts it. */
  static tooLong(quoted: string): EngineError {
    return new EngineError("100078", "22000", `String '${quoted}' is too long and would be truncated`)
  }

  /** 100072: NULL into a NOT NULL column. */
  static notNull(): EngineError {
    return new EngineError("100072", "22000", "NULL result in a non-nullable column")
  }

  /** 200001: a duplicate primary key. */
  static duplicateKey(): EngineError {
    return new EngineError("200001", "22000", "A primary key already exists.")
  }

  // ── execution ──────────────────────────────────────────────────────────────────────────────

  /** 000604: the statement was interrupted (abort-request, timeout). */
  static canceled(): EngineError {
    return new EngineError("000604", "57014", "SQL execution canceled")
  }

  /** 100000: any other execution failure, in DuckDB's words. */
  static execution(message: string): EngineError {
    return new EngineError("100000", "22000", `SQL execution error: ${message}`)
  }

  /** 000603: the emulator itself failed (DuckDB would not open, storage would not answer). */
  static internal(message: string): EngineError {
    return new EngineError("000603", "XX000", `SQL execution internal error: ${message}`)
  }
}
