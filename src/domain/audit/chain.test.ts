import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditEventHash, canonicalJson, checkLink, GENESIS_HASH, storableText, type AuditEventContent } from './chain.js';

function chain(n: number): (AuditEventContent & { hash: string })[] {
  const out: (AuditEventContent & { hash: string })[] = [];
  for (let id = 1; id <= n; id++) {
    const content: AuditEventContent = {
      id,
      at: `2026-01-01T00:00:0${id}.000001Z`,
      actor: `user${id}`,
      actorUserId: id,
      action: 'GET /api/v1/loans/:id',
      outcome: '200',
      records: { loans: [`L${id}`] },
      source: '127.0.0.1',
      reason: null,
      requestId: `req_${id}`,
      prevHash: out[id - 2]?.hash ?? GENESIS_HASH,
    };
    out.push({ ...content, hash: auditEventHash(content) });
  }
  return out;
}

describe('the audit hash chain', () => {
  it('a whole chain has no break', () => {
    const c = chain(4);
    c.forEach((e, i) => expect(checkLink(i === 0 ? null : c[i - 1]!, e)).toBeNull());
  });

  it.each([
    ['a changed field', (c: ReturnType<typeof chain>) => ({ prev: c[1]!, e: { ...c[2]!, outcome: '403' } }), 'hash'],
    ['a changed prev_hash', (c: ReturnType<typeof chain>) => ({ prev: c[1]!, e: { ...c[2]!, prevHash: GENESIS_HASH } }), 'prev_hash'],
    ['a missing event', (c: ReturnType<typeof chain>) => ({ prev: c[0]!, e: c[2]! }), 'sequence'],
    ['a first event that does not start at 1', (c: ReturnType<typeof chain>) => ({ prev: null, e: c[1]! }), 'sequence'],
  ])('%s is a %s break', (_what, make, problem) => {
    const { prev, e } = make(chain(4));
    expect(checkLink(prev, e)?.problem).toBe(problem);
  });

  it('canonical JSON does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });

  it('text is made storable: no NUL, no lone surrogate', () => {
    expect(storableText('a\u0000b\ud800c')).toBe('a\uFFFDb\uFFFDc');
    expect(storableText('借款 ok')).toBe('借款 ok');
  });
});
