/**
 * Session token renewal, `POST /session/token-request` (PROTOCOL.md §4.4, §16.7).
 * The request is authorised with the master token; the answer comes in one of two spellings,
 * both normalised here.
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { SessionId } from "./login.js"

export interface RenewRequestBody {
  readonly requestType: "RENEW"
  readonly oldSessionToken: string
}

export const renewRequestBody = (oldSessionToken: string): RenewRequestBody => ({
  requestType: "RENEW",
  oldSessionToken
})

/** Both spellings a server may use (Node accepts both; ours accepts both). */
const RenewResponseWire = Schema.Struct({
  sessionToken: Schema.optional(Schema.String),
  token: Schema.optional(Schema.String),
  validityInSecondsST: Schema.optional(Schema.Number),
  validityInSeconds: Schema.optional(Schema.Number),
  masterToken: Schema.String,
  validityInSecondsMT: Schema.optional(Schema.Number),
  masterValidityInSeconds: Schema.optional(Schema.Number),
  sessionId: Schema.optionalWith(SessionId, { nullable: true })
})

const RenewedSession = Schema.Struct({
  sessionToken: Schema.String,
  validityInSeconds: Schema.Number,
  masterToken: Schema.String,
  masterValidityInSeconds: Schema.Number,
  sessionId: Schema.optional(Schema.Number)
})

export const RenewResponseData = Schema.transformOrFail(RenewResponseWire, RenewedSession, {
  strict: true,
  decode: (wire, _options, ast) => {
    const sessionToken = wire.sessionToken ?? wire.token
    const validityInSeconds = wire.validityInSecondsST ?? wire.validityInSeconds
    const masterValidityInSeconds = wire.validityInSecondsMT ?? wire.masterValidityInSeconds
    if (sessionToken === undefined) {
      return ParseResult.fail(new ParseResult.Type(ast, wire, "neither sessionToken nor token present"))
    }
    if (validityInSeconds === undefined || masterValidityInSeconds === undefined) {
      return ParseResult.fail(new ParseResult.Type(ast, wire, "token validity missing"))
    }
    return ParseResult.succeed({
      sessionToken,
      validityInSeconds,
      masterToken: wire.masterToken,
      masterValidityInSeconds,
      ...(wire.sessionId === undefined ? {} : { sessionId: wire.sessionId })
    })
  },
  encode: (session) =>
    ParseResult.succeed({
      sessionToken: session.sessionToken,
      validityInSecondsST: session.validityInSeconds,
      masterToken: session.masterToken,
      validityInSecondsMT: session.masterValidityInSeconds,
      ...(session.sessionId === undefined ? {} : { sessionId: session.sessionId })
    })
})
export type RenewResponseData = typeof RenewResponseData.Type
