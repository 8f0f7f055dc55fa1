// The pure uses of the gate and the screens, shared by the CLI (`clement compliance check`,
// `clement screen`, `clement wellbeing`) and the HTTP API: one parse, one answer shape each.
// Nothing here reads the database: a pure check decides on the history given in the request.
import { z } from 'zod';
import {
  PRESETS,
  decide,
  type Decision,
  type Policy,
  type PresetName,
} from '../../domain/compliance/index.js';
import { screenContent, type Finding, type Lang } from '../../domain/compliance/screen/index.js';
import { assessWellbeing, type WellbeingLevel, type WellbeingSignal } from '../../domain/wellbeing/index.js';
import { parseContactRequest } from './contact-request.schema.js';

/** The error on a JSONL output line and in an HTTP error's details. */
export interface LineError {
  readonly code: string;
  readonly message: string;
  readonly field: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: LineError };

/**
 * Decides one contact request given as parsed JSON. `policyFor` receives the bare preset the
 * request names (or undefined) and returns the policy to decide under.
 */
export function checkContactRequest(json: unknown, policyFor: (preset: PresetName | undefined) => Policy): Checked<Decision> {
  const parsed = parseContactRequest(json);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  return { ok: true, value: decide(parsed.request, policyFor(parsed.request.policy)) };
}

/** The bare preset a request names, else the fallback (the lender's policy or a policy file). */
export function presetOr(fallback: () => Policy): (preset: PresetName | undefined) => Policy {
  return (preset) => (preset ? PRESETS[preset] : fallback());
}

// ------------------------------------------------------------------ screens

/** The longest text a screen request may carry (UTF-16 code units). */
export const MAX_TEXT = 20_000;

export const textItemSchema = z.strictObject({
  id: z
    .union([z.string(), z.number()])
    .nullable()
    .optional()
    .meta({ description: 'Echoed back, so answers can be matched to texts' }),
  // Long enough for a long call transcript; a screen of a longer text is split by the caller.
  text: z.string().max(MAX_TEXT, `at most ${MAX_TEXT} characters`),
  lang: z
    .unknown()
    .optional()
    .meta({ description: '"zh" or "en"; anything else, or nothing, means the language is detected. Never an error.' }),
});
export type TextItem = z.output<typeof textItemSchema>;
export type TextItemId = string | number | null;

/** `zh` and `en` are taken as given; anything else means detect. */
export function langOf(value: unknown): Lang | undefined {
  return value === 'zh' || value === 'en' ? value : undefined;
}

function firstIssue(error: z.ZodError): LineError {
  // An unknown key first: `{"txt": …}` is a typo of text, and saying so helps more than "text is required".
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0]].join('.');
    return { code: 'REQUEST.INVALID', field, message: `${field} is not a known field (expected id, text, lang)` };
  }
  const field = path.length > 0 ? path.join('.') : '(root)';
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return { code: 'REQUEST.INVALID', field, message: missing ? `${field} is required` : `${field}: ${issue.message}` };
}

export function parseTextItem(json: unknown): Checked<TextItem> {
  const r = textItemSchema.safeParse(json);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: firstIssue(r.error) };
}

/** The id of a line that could not be read as a text item, when it has a usable one. */
export function idOf(json: unknown): TextItemId {
  if (typeof json !== 'object' || json === null) return null;
  const id = (json as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

export interface ScreenAnswer {
  id: TextItemId;
  findings: Finding[];
}

export function screenItem(item: TextItem): ScreenAnswer {
  return {
    id: item.id ?? null,
    findings: screenContent(item.text, { lang: langOf(item.lang) }).map((f) => ({
      category: f.category,
      span: f.span,
      start: f.start,
      end: f.end,
      suggestion: f.suggestion,
    })),
  };
}

export interface WellbeingAnswer {
  id: TextItemId;
  level: WellbeingLevel;
  signals: WellbeingSignal[];
}

export function assessItem(item: TextItem): WellbeingAnswer {
  const lang = langOf(item.lang);
  const r = assessWellbeing(item.text, lang ? { lang } : {});
  return { id: item.id ?? null, level: r.level, signals: r.signals };
}
