// Re-encrypts every sealed value that is not under the current key, a batch per transaction, so
// an interrupted rotation leaves each value readable under some key of the ring and a rerun ends it.
import type { Deps } from '../../deps.js';

const BATCH = 1000;

interface SealedValue {
  /** Its name in the batch. */
  alias: string;
  /** SQL reading it from a row. */
  read: string;
  /** SQL assignment writing u.<alias> back. */
  assign: string;
}

const column = (name: string): SealedValue => ({ alias: name, read: name, assign: `${name} = u.${name}` });

interface SealedTable {
  table: string;
  values: readonly SealedValue[];
}

/** Every place holding sealed personal data. */
export const SEALED_COLUMNS: readonly SealedTable[] = [
  { table: 'borrowers', values: ['id_number', 'phone', 'email', 'address'].map(column) },
  { table: 'contacts', values: [column('phone')] },
  { table: 'contact_attempts', values: [column('number')] },
  // The text a decision judged, sealed inside the stored request.
  {
    table: 'contact_decisions',
    values: [{ alias: 'content', read: "request->>'content'", assign: "request = jsonb_set(t.request, '{content}', to_jsonb(u.content))" }],
  },
];

export async function reencryptAll(deps: Deps): Promise<Record<string, number>> {
  const { vault } = deps;
  const counts: Record<string, number> = {};
  for (const { table, values } of SEALED_COLUMNS) {
    const columns = values.map((v) => v.alias);
    let after = 0;
    let changed = 0;
    for (;;) {
      const page = await deps.db.query<Record<string, string | null> & { id: number }>(
        `SELECT id, ${values.map((v) => `${v.read} AS ${v.alias}`).join(', ')} FROM ${table} WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (page.rows.length === 0) break;
      after = page.rows[page.rows.length - 1]!.id;
      const stale = page.rows.filter((r) => columns.some((c) => r[c] !== null && vault.keyIdOf(r[c]!) !== vault.currentKeyId));
      if (stale.length === 0) continue;
      const reseal = (v: string | null) => (v === null || vault.keyIdOf(v) === vault.currentKeyId ? v : vault.encrypt(vault.decrypt(v)));
      await deps.db.transaction(async (tx) => {
        await tx.query(
          `UPDATE ${table} t SET ${values.map((v) => v.assign).join(', ')}
           FROM unnest($1::int[], ${columns.map((_, i) => `$${i + 2}::text[]`).join(', ')}) AS u(id, ${columns.join(', ')})
           WHERE t.id = u.id`,
          [stale.map((r) => r.id), ...columns.map((c) => stale.map((r) => reseal(r[c] ?? null)))],
        );
      });
      changed += stale.length;
    }
    counts[table] = changed;
  }
  return counts;
}
