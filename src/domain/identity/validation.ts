/** The answer of an identity validator: a value, never a throw, with a reason fit for a form. */
export type Validation = { ok: true } | { ok: false; reason: string };

export const VALID: Validation = Object.freeze({ ok: true });

export function invalid(reason: string): Validation {
  return { ok: false, reason };
}
