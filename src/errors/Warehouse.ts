import * as Schema from "effect/Schema"
import { errorFields } from "./fields.js"

/** No such warehouse, or no warehouse selected in the session (000606). */
export class WarehouseNotFound extends Schema.TaggedError<WarehouseNotFound>()(
  "WarehouseNotFound",
  errorFields
) {
  get retryable(): boolean {
    return false
  }
}

/** The warehouse is suspended and cannot resume automatically. */
export class WarehouseSuspended extends Schema.TaggedError<WarehouseSuspended>()(
  "WarehouseSuspended",
  errorFields
) {
  get retryable(): boolean {
    return false
  }
}

/** The warehouse queue is full; a later attempt may succeed. */
export class WarehouseQueueFull extends Schema.TaggedError<WarehouseQueueFull>()(
  "WarehouseQueueFull",
  errorFields
) {
  get retryable(): boolean {
    return true
  }
}

/** The warehouse is being resized; a later attempt may succeed. */
export class WarehouseResizing extends Schema.TaggedError<WarehouseResizing>()(
  "WarehouseResizing",
  errorFields
) {
  get retryable(): boolean {
    return true
  }
}
