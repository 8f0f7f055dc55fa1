// The contact request as it arrives over HTTP, from the CLI or from a job: parsed once, with the
// contract's defaults, so the domain gate only ever sees a well-formed request.
import { z } from 'zod';
import {
  CHANNELS,
  DIRECTIONS,
  FLAGS,
  OUTCOMES,
  PARTIES,
  PRESET_NAMES,
  PURPOSES,
  WEEKDAYS,
  isValidZoneName,
  parseInstant,
  type ContactRequest,
} from '../../domain/compliance/index.js';

const instant = z
  .string()
  .refine((s) => parseInstant(s) !== null, {
    message: 'must be an ISO 8601 instant with its offset, e.g. 2026-03-02T21:59:00+08:00',
  });

const timezone = z
  .string()
  .refine((s) => isValidZoneName(s), { message: 'must be an IANA time zone such as Asia/Shanghai' });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:mm"');

// Floor: a preferred window is [from, to) and never crosses midnight.
const preferredHours = z
  .strictObject({ from: hhmm, to: hhmm })
  .refine((w) => w.from < w.to, { message: 'must be after from (a window never crosses midnight)', path: ['to'] });

const number = z.string().min(1).nullable().default(null);

export const historyItemSchema = z.strictObject({
  at: instant,
  channel: z.enum(CHANNELS),
  party: z.enum(PARTIES).default('borrower'),
  number,
  direction: z.enum(DIRECTIONS).default('outbound'),
  outcome: z.enum(OUTCOMES),
});

export const borrowerSchema = z.strictObject({
  timezone,
  flags: z.array(z.enum(FLAGS)).default([]),
  optOuts: z.array(z.enum(CHANNELS)).default([]),
  preferredHours: preferredHours.nullable().default(null),
  quietDays: z.array(z.enum(WEEKDAYS)).optional(),
  alsoTimezones: z.array(timezone).optional(),
});

export const contactSchema = z.strictObject({
  relation: z.string().min(1),
  refused: z.boolean().default(false),
  timezone: timezone.optional(),
});

export const contactRequestSchema = z.strictObject({
  /** A bare preset; a lender's narrowed policy is chosen by configuration, never by the request. */
  policy: z.enum(PRESET_NAMES).optional(),
  at: instant,
  channel: z.enum(CHANNELS),
  party: z.enum(PARTIES).default('borrower'),
  purpose: z.enum(PURPOSES).default('collection'),
  number,
  direction: z.enum(DIRECTIONS).default('outbound'),
  borrower: borrowerSchema,
  contact: contactSchema.nullable().default(null),
  history: z.array(historyItemSchema).default([]),
  content: z.string().nullable().default(null),
});

export type ContactRequestInput = z.input<typeof contactRequestSchema>;

export interface RequestInvalid {
  readonly code: 'REQUEST.INVALID';
  readonly message: string;
  /** Dotted path of the offending field, e.g. `borrower.timezone` or `history.2.at`. */
  readonly field: string;
}

export type ParseContactRequestResult =
  | { readonly ok: true; readonly request: ContactRequest }
  | { readonly ok: false; readonly error: RequestInvalid };

function describe(issue: z.core.$ZodIssue): { field: string; message: string } {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0]].join('.');
    const more = issue.keys.length > 1 ? ` (also: ${issue.keys.slice(1).join(', ')})` : '';
    return { field, message: `${field} is not a known field${more}` };
  }
  const field = path.length > 0 ? path.join('.') : '(root)';
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return { field, message: `${field} is required` };
  }
  return { field, message: `${field}: ${issue.message}` };
}

export function parseContactRequest(json: unknown): ParseContactRequestResult {
  const parsed = contactRequestSchema.safeParse(json);
  if (parsed.success) return { ok: true, request: parsed.data };
  const { field, message } = describe(parsed.error.issues[0]);
  return { ok: false, error: { code: 'REQUEST.INVALID', field, message } };
}
