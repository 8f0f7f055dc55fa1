// The compliance gate's public surface: what services, the CLI and the HTTP API call.
export * from './types.js';
export { decide, passesTimeRules, hasOptOutNotice } from './decide.js';
export {
  PRESETS,
  RULESET,
  LIMITED_MESSAGE_CHANNELS,
  buildPolicy,
  isPresetName,
  narrowPolicy,
  policyVersion,
  type CeaseMode,
  type HoursWindow,
  type Limits,
  type LimitedMessageChannel,
  type NarrowResult,
  type NarrowingError,
  type Policy,
  type PolicyContent,
  type PresetPause,
} from './policy.js';
export { isValidZoneName, parseInstant, parseHhMm } from './time.js';
export type { Finding, ContentCategory } from './screen/index.js';
