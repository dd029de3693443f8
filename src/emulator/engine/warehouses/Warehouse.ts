/**
 * A warehouse as the engine keeps it (Catalog.warehouses): DuckDB has none, and nothing runs on
 * one here — its state, size and clusters are what the statements set (statements.ts).
 */

export const DEFAULT_WAREHOUSE = "COMPUTE_WH"

export interface Warehouse {
  name: string
  state: "STARTED" | "SUSPENDED"
  size: string
  type: string
  autoSuspend: number | null
  autoResume: boolean
  minClusterCount: number
  maxClusterCount: number
  comment: string | null
  readonly createdOn: Date
}

export const newWarehouse = (name: string, createdOn: Date): Warehouse => ({
  name,
  state: "STARTED",
  size: "X-Small",
  type: "STANDARD",
  autoSuspend: 600,
  autoResume: true,
  minClusterCount: 1,
  maxClusterCount: 1,
  comment: null,
  createdOn
})

const SIZES: Record<string, string> = {
  XSMALL: "X-Small",
  "X-SMALL": "X-Small",
  SMALL: "Small",
  MEDIUM: "Medium",
  LARGE: "Large",
  XLARGE: "X-Large",
  "X-LARGE": "X-Large",
  XXLARGE: "2X-Large",
  "2X-LARGE": "2X-Large",
  XXXLARGE: "3X-Large",
  "3X-LARGE": "3X-Large",
  "4X-LARGE": "4X-Large",
  X4LARGE: "4X-Large",
  "5X-LARGE": "5X-Large",
  "6X-LARGE": "6X-Large"
}

export const normalizeSize = (value: string): string => SIZES[value.toUpperCase()] ?? value
