/** Record / replay of Snowflake sessions (docs/simulation.md). */
export * as Cassette from "./Cassette.js"
export * as CassetteFile from "./CassetteFile.js"
export * as Fingerprint from "./Fingerprint.js"
export {
  recording,
  recordingClient,
  recordingServices,
  replaying,
  replayingClient,
  replayingServices
} from "./layer.js"
export { normalizeSql } from "./normalizeSql.js"
