/** `ExportError` lives with the other public errors; re-exported here for the export modules. */
export { ExportError } from "../../errors/Ingestion.js"
