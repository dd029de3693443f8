/** Reading decoded result rows by column name (LIST, REMOVE, COPY INTO): any case of the name, NULL as undefined. */

/** The field `name` (lower case) of a row, whatever the case of its key. */
export const fieldOf = (row: Readonly<Record<string, unknown>>, name: string): unknown => {
  if (name in row) return row[name]
  const key = Object.keys(row).find((k) => k.toLowerCase() === name)
  return key === undefined ? undefined : row[key]
}

export const numberOrZero = (value: unknown) => (value === null || value === undefined ? 0 : Number(value))

export const optionalNumber = (value: unknown) =>
  value === null || value === undefined ? undefined : Number(value)

export const optionalText = (value: unknown) =>
  value === null || value === undefined ? undefined : String(value)
