// @ts-check
/**
 * The API's shapes the page reads, as the server publishes them in /openapi.json
 * (openapi.d.ts is generated from it: `make web-types`). Import them in JSDoc:
 * `@typedef {import("./types.js").Run} Run`.
 */

/** @typedef {import("./openapi").components["schemas"]} Schemas */
/** @typedef {Schemas["RunObject"]} Run */
/** @typedef {Schemas["RunStepObject"]} RunStep */
/** @typedef {Schemas["RunStepDeltaObject"]} RunStepDelta */
/** @typedef {Schemas["MessageObject"]} Message */
/** @typedef {Schemas["MessageDeltaObject"]} MessageDelta */
/** @typedef {Schemas["ThreadObject"]} Thread */
/** @typedef {Schemas["AssistantStreamEvent"]} StreamEvent {event, data}, one per event name */

export {};
