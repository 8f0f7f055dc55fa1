import { describe, expect, it } from 'vitest';
import { decide, PRESETS } from '../../domain/compliance/index.js';
import { parseContactRequest } from './contact-request.schema.js';
import { COMPLIANCE_SAMPLE } from '../../domain/compliance/request.fixture.js';

/** The sample request of COMPLIANCE.md. */
const sample = COMPLIANCE_SAMPLE;

function field(json: unknown): string {
  const r = parseContactRequest(json);
  expect(r.ok).toBe(false);
  if (r.ok) return '';
  expect(r.error.code).toBe('REQUEST.INVALID');
  expect(r.error.message).toContain(r.error.field);
  return r.error.field;
}

describe('parseContactRequest', () => {
  it('parses the sample request of COMPLIANCE.md, and the gate allows it', () => {
    const r = parseContactRequest(sample);
    expect(r.ok).toBe(true);
    if (r.ok) expect(decide(r.request, PRESETS.cn).allowed).toBe(true);
  });

  it('fills the defaults', () => {
    const r = parseContactRequest({
      at: '2026-03-02T10:00:00+08:00',
      channel: 'sms',
      borrower: { timezone: 'Asia/Shanghai' },
      history: [{ at: '2026-03-01T10:00:00+08:00', channel: 'sms', outcome: 'delivered' }],
    });
    expect(r).toEqual({
      ok: true,
      request: {
        at: '2026-03-02T10:00:00+08:00',
        channel: 'sms',
        party: 'borrower',
        purpose: 'collection',
        number: null,
        direction: 'outbound',
        borrower: { timezone: 'Asia/Shanghai', flags: [], optOuts: [], preferredHours: null },
        contact: null,
        history: [{ at: '2026-03-01T10:00:00+08:00', channel: 'sms', party: 'borrower', number: null, direction: 'outbound', outcome: 'delivered' }],
        content: null,
      },
    });
  });

  it('accepts the optional borrower fields and a contact', () => {
    const r = parseContactRequest({
      ...sample,
      party: 'third_party',
      purpose: 'locate',
      borrower: { ...sample.borrower, quietDays: ['sunday'], alsoTimezones: ['America/Los_Angeles'], preferredHours: { from: '09:00', to: '18:00' } },
      contact: { relation: 'emergency_contact', timezone: 'Asia/Shanghai' },
    });
    expect(r.ok && r.request.contact).toEqual({ relation: 'emergency_contact', refused: false, timezone: 'Asia/Shanghai' });
  });

  it.each([
    [{ ...sample, at: '2026-03-02T21:59:00' }, 'at'],
    [{ ...sample, at: '2026-02-30T10:00:00+08:00' }, 'at'],
    [{ ...sample, at: undefined }, 'at'],
    [{ ...sample, policy: 'cn@3f2a' }, 'policy'],
    [{ ...sample, channel: 'fax' }, 'channel'],
    [{ ...sample, priority: 'high' }, 'priority'],
    [{ ...sample, borrower: { ...sample.borrower, timezone: 'China/Beijing' } }, 'borrower.timezone'],
    [{ ...sample, borrower: { ...sample.borrower, timezone: '+08:00' } }, 'borrower.timezone'],
    [{ ...sample, borrower: { ...sample.borrower, flags: ['bankrupt'] } }, 'borrower.flags.0'],
    [{ ...sample, borrower: { ...sample.borrower, nickname: 'x' } }, 'borrower.nickname'],
    [{ ...sample, borrower: { ...sample.borrower, preferredHours: { from: '18:00', to: '09:00' } } }, 'borrower.preferredHours.to'],
    [{ ...sample, borrower: { ...sample.borrower, preferredHours: { from: '9:00', to: '18:00' } } }, 'borrower.preferredHours.from'],
    [{ ...sample, borrower: { ...sample.borrower, quietDays: ['sat'] } }, 'borrower.quietDays.0'],
    [{ ...sample, borrower: { ...sample.borrower, alsoTimezones: ['Nowhere/Town'] } }, 'borrower.alsoTimezones.0'],
    [{ ...sample, contact: { relation: 'friend', refused: 'no' } }, 'contact.refused'],
    [{ ...sample, history: [sample.history[0], sample.history[0], { ...sample.history[0], at: 'yesterday' }] }, 'history.2.at'],
    [{ ...sample, history: [{ ...sample.history[0], outcome: 'hung_up' }] }, 'history.0.outcome'],
    [{ ...sample, history: [{ ...sample.history[0], note: 'x' }] }, 'history.0.note'],
    [{ ...sample, content: 42 }, 'content'],
    ['not an object', '(root)'],
  ])('refuses %j naming %s', (json, expected) => {
    expect(field(json)).toBe(expected);
  });

  it('says a missing field is required', () => {
    const r = parseContactRequest({ ...sample, borrower: {} });
    expect(r).toMatchObject({ ok: false, error: { field: 'borrower.timezone', message: 'borrower.timezone is required' } });
  });
});
