/**
 * snowflake-sdk's callbacks wrapped in Effect, for the conformance suite. The driver is the
 * official one (3.3.0); nothing here changes what it sends.
 */
import { Effect, type Scope, Stream } from "effect"
import snowflake from "snowflake-sdk"

snowflake.configure({ logLevel: "OFF" })

export type Connection = snowflake.Connection
export type Statement = snowflake.RowStatement
export type Row = Record<string, unknown>

export class SdkError extends Error {
  constructor(readonly error: snowflake.SnowflakeError) {
    super(error.message)
  }
  get code(): unknown {
    return this.error.code
  }
  get sqlState(): unknown {
    return (this.error as { sqlState?: unknown }).sqlState
  }
}

/** Connects and destroys the connection when the scope closes. */
export const connect = (
  url: string,
  options: Partial<snowflake.ConnectionOptions> = {}
): Effect.Effect<Connection, SdkError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<Connection, SdkError>((resume) => {
      const connection = snowflake.createConnection({
        accessUrl: url,
        account: "emulator",
        username: "tester",
        password: "secret",
        ...options
      } as snowflake.ConnectionOptions)
      connection.connect((err, conn) => resume(err ? Effect.fail(new SdkError(err)) : Effect.succeed(conn)))
    }),
    (connection) => destroy(connection).pipe(Effect.ignore)
  )

export const destroy = (connection: Connection) =>
  Effect.async<void, SdkError>((resume) => {
    if (!connection.isUp()) return resume(Effect.void)
    connection.destroy((err) => resume(err ? Effect.fail(new SdkError(err)) : Effect.void))
  })

export interface Executed {
  readonly statement: Statement
  readonly rows: ReadonlyArray<Row>
}

export const execute = (
  connection: Connection,
  sqlText: string,
  options: Partial<snowflake.StatementOption> = {}
): Effect.Effect<Executed, SdkError> =>
  Effect.async<Executed, SdkError>((resume) => {
    connection.execute({
      sqlText,
      ...options,
      complete: (err, statement, rows) =>
        resume(
          err
            ? Effect.fail(new SdkError(err))
            : Effect.succeed({ statement, rows: (rows ?? []) as ReadonlyArray<Row> })
        )
    } as snowflake.StatementOption)
  })

/** Submits with streamResult and returns the statement's rows as an Effect Stream. */
export const stream = (connection: Connection, sqlText: string): Stream.Stream<Row, SdkError> =>
  Stream.unwrap(
    Effect.async<Stream.Stream<Row, SdkError>, SdkError>((resume) => {
      connection.execute({
        sqlText,
        streamResult: true,
        complete: (err, statement) => {
          if (err) return resume(Effect.fail(new SdkError(err)))
          resume(
            Effect.succeed(
              Stream.fromAsyncIterable(
                statement.streamRows() as AsyncIterable<Row>,
                (e) => new SdkError(e as snowflake.SnowflakeError)
              )
            )
          )
        }
      })
    })
  )

/** Collects every result of a multi-statement execution (complete fires once per child). */
export const executeMulti = (
  connection: Connection,
  sqlText: string,
  count: number
): Effect.Effect<ReadonlyArray<ReadonlyArray<Row>>, SdkError> =>
  Effect.async((resume) => {
    const results: Array<ReadonlyArray<Row>> = []
    connection.execute({
      sqlText,
      parameters: { MULTI_STATEMENT_COUNT: count },
      complete: (err, statement, rows) => {
        if (err) return resume(Effect.fail(new SdkError(err)))
        results.push((rows ?? []) as ReadonlyArray<Row>)
        const multi = statement as unknown as snowflake.FileAndStageBindStatement
        if (multi.hasNext?.()) multi.NextResult()
        else resume(Effect.succeed(results))
      }
    })
  })

export const promise = <A>(f: () => Promise<A>) =>
  Effect.tryPromise({ try: f, catch: (e) => new SdkError(e as snowflake.SnowflakeError) })
