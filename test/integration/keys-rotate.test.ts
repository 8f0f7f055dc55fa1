// Key rotation reaches every sealed value: borrowers, contacts, dialled numbers and the texts
// stored with decisions; afterwards nothing is left under the old key, and everything reads back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { borrower, load } from '../support/ledger-factory.js';
import { decideAndRecord } from '../../src/services/compliance/decide-and-record.service.js';
import { reencryptAll } from '../../src/services/privacy/rotate.service.js';
import { createVault, newMasterKey, parseKeyList } from '../../src/services/privacy/vault.js';
import type { Deps } from '../../src/deps.js';

describe.each(BACKENDS)('clement keys rotate (%s)', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
    await load(t.deps, 'borrowers', [borrower(1, { id_number: '11010519491231002X', email: 'a@example.com', address: '北京市朝阳区' })]);
    await load(t.deps, 'contacts', [{ contact_id: 'C1', borrower_id: 'B1', relation: 'spouse', name: '李四', phone: '+8613900000009' }]);
    await decideAndRecord(t.deps, {
      borrowerId: 'B1',
      at: '2026-03-02T10:00:00+08:00',
      channel: 'sms',
      number: '+8613800000001',
      content: '您好，您的本期账单已逾期，请及时还款。回复TD退订',
    });
  });
  afterAll(() => t.close());

  it('re-encrypts every sealed value under the new key', async () => {
    const oldKeys = parseKeyList(t.deps.config.key!);
    const rotated: Deps = { ...t.deps, vault: createVault([newMasterKey(), ...oldKeys]) };
    const counts = await reencryptAll(rotated);
    expect(counts).toEqual({ borrowers: 1, contacts: 1, contact_attempts: 1, contact_decisions: 1 });
    expect(await reencryptAll(rotated)).toEqual({ borrowers: 0, contacts: 0, contact_attempts: 0, contact_decisions: 0 });

    const sealed = await t.db.query<{ v: string }>(
      `SELECT id_number AS v FROM borrowers UNION ALL SELECT phone FROM borrowers UNION ALL SELECT email FROM borrowers
       UNION ALL SELECT address FROM borrowers UNION ALL SELECT phone FROM contacts UNION ALL SELECT number FROM contact_attempts
       UNION ALL SELECT request->>'content' FROM contact_decisions`,
    );
    expect(sealed.rows).toHaveLength(7);
    for (const { v } of sealed.rows) expect(rotated.vault.keyIdOf(v)).toBe(rotated.vault.currentKeyId);
    const content = await t.db.query<{ c: string; allowed: boolean }>(`SELECT request->>'content' AS c, allowed FROM contact_decisions`);
    expect(rotated.vault.decrypt(content.rows[0]!.c)).toBe('您好，您的本期账单已逾期，请及时还款。回复TD退订');
    // The blind index did not move: lookups still find the number.
    const byIndex = await t.db.query('SELECT 1 FROM contact_attempts WHERE number_key = $1', [rotated.vault.index('+8613800000001')]);
    expect(byIndex.rowCount).toBe(1);
  });
});
