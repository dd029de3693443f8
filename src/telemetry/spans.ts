/**
 * Span attributes shared by every public client method (OpenTelemetry database conventions).
 * Bind values never go into a span: only the SQL text, which carries placeholders.
 */
export const dbSystem = { "db.system.name": "snowflake" } as const

export const queryAttributes = (operation: string, sql?: string): Record<string, string> => ({
  ...dbSystem,
  "db.operation.name": operation,
  ...(sql === undefined ? {} : { "db.query.text": sql })
})
