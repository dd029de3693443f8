import * as Schema from "effect/Schema"
import { errorFields } from "./fields.js"

/** A request resembles a recorded one but differs; `message` names the closest fingerprint and the difference. */
export class SimulationMismatch extends Schema.TaggedError<SimulationMismatch>()(
  "SimulationMismatch",
  errorFields
) {
  get retryable(): boolean {
    return false
  }
}

/** Nothing in the cassette matches the request. */
export class SimulationNotRecorded extends Schema.TaggedError<SimulationNotRecorded>()(
  "SimulationNotRecorded",
  errorFields
) {
  get retryable(): boolean {
    return false
  }
}

/** A recorded result cannot be decoded with the requested row schema. */
export class SimulationTypeError extends Schema.TaggedError<SimulationTypeError>()(
  "SimulationTypeError",
  errorFields
) {
  get retryable(): boolean {
    return false
  }
}
