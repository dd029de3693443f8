/**
 * What runs against Snowflake under the public services, and the one piece a simulation swaps:
 * the statements (Statements.ts), and the stage transfers and loads that a cassette records as
 * whole operations. `Snowflake.Client`, `Stages` and `Ingestion` are built over it with their
 * spans (`Client.makeWith`, `Stages.traced`, `Ingestion.traced`), the same over the live
 * backend, a recording or a replay (layers/Snowflake.ts).
 */
import type { Loads } from "./Ingestion.js"
import type { StagesService } from "./Stages.js"
import type { StatementsService } from "./Statements.js"

export interface Backend {
  readonly statements: StatementsService
  /** PUT / GET / LIST / REMOVE, without spans. */
  readonly stages: StagesService
  /** COPY INTO and bulk inserts, without spans; `validate` and `preview` are statements. */
  readonly loads: Loads
  /** A replayed backend: a row that does not fit the program's schema is the cassette's fault. */
  readonly replayed: boolean
}
