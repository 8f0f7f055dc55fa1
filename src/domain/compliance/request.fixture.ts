// Test data builders for the gate's tests (not used by production code).
import type { BorrowerInfo, ContactRequest, HistoryItem } from './types.js';

/** The sample request of COMPLIANCE.md, exactly as written there. */
export const COMPLIANCE_SAMPLE: ContactRequest = {
  policy: 'cn',
  at: '2026-03-02T21:59:00+08:00',
  channel: 'call',
  party: 'borrower',
  purpose: 'collection',
  number: '+8613800000001',
  direction: 'outbound',
  borrower: { timezone: 'Asia/Shanghai', flags: [], optOuts: [], preferredHours: null },
  contact: null,
  history: [
    { at: '2026-03-02T09:10:00+08:00', channel: 'call', party: 'borrower', number: '+8613800000001', direction: 'outbound', outcome: 'no_answer' },
  ],
  content: null,
};

export type RequestOverrides = Partial<Omit<ContactRequest, 'borrower'>> & { borrower?: Partial<BorrowerInfo> };

/** The sample request of COMPLIANCE.md, at a harmless Monday 10:00 in Shanghai unless overridden. */
export function makeRequest(over: RequestOverrides = {}): ContactRequest {
  const { borrower, ...rest } = over;
  return {
    policy: 'cn',
    at: '2026-03-02T10:00:00+08:00',
    channel: 'call',
    party: 'borrower',
    purpose: 'collection',
    number: '+8613800000001',
    direction: 'outbound',
    contact: null,
    history: [],
    content: null,
    ...rest,
    borrower: { timezone: 'Asia/Shanghai', flags: [], optOuts: [], preferredHours: null, ...borrower },
  };
}

export function call(at: string, over: Partial<HistoryItem> = {}): HistoryItem {
  return {
    at,
    channel: 'call',
    party: 'borrower',
    number: '+8613800000001',
    direction: 'outbound',
    outcome: 'no_answer',
    ...over,
  };
}

export function codes(decision: { reasons: readonly { code: string }[] }): string[] {
  return decision.reasons.map((r) => r.code);
}
