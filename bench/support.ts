/**
 * How effect-snowflake bench clients connect: as the BENCH user, one pooled session unless told
 * otherwise. Kept apart from the emulator (emulatorSetup.ts) and from snowflake-sdk (sdkClient.ts)
 * so that a client process loads only what it needs: its peak RSS is measured.
 */
import { Redacted } from "effect"
import { Snowflake } from "../src/index.js"
import { PASSWORD, USER } from "./shared.js"

/** Our client on the emulator at `url`. */
export const benchClient = (url: string, options: Partial<Snowflake.SnowflakeOptions> = {}) =>
  Snowflake.layer({
    account: "emulator",
    user: USER,
    auth: { type: "password", password: Redacted.make(PASSWORD) },
    accessUrl: url,
    pool: { min: 1, max: 1 },
    ...options
  })
