// clement backup and restore: a restored data folder gives the same export, and its personal data
// can still be read (the keys travel with the backup).
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migratedDataDir, runCli, tempDir } from '../support/cli.js';

describe('clement backup and restore', () => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const d of cleanup) await rm(d, { recursive: true, force: true });
  });

  it('restores into an empty folder an identical database, refuses a non-empty one', async () => {
    const data = await migratedDataDir('backup');
    const restored = await tempDir('restored');
    const files = await tempDir('backup-files');
    cleanup.push(data, restored, files);
    await writeFile(
      join(files, 'borrowers.csv'),
      'borrower_id,name,id_number,phone,email,timezone,locale\nB1,张三,11010519491231002X,+8613912345678,,,zh-CN\n',
    );
    await writeFile(join(files, 'loans.csv'), 'loan_id,borrower_id,product_id,principal,annual_rate,disbursed_on,currency\nL1,B1,default,3000,0.18,2026-01-01,CNY\n');
    await writeFile(join(files, 'installments.csv'), 'loan_id,seq,due_on,principal,interest,fee\nL1,1,2026-02-01,3000,45,0\n');
    for (const kind of ['borrowers', 'loans', 'installments']) {
      expect((await runCli(['import', kind, join(files, `${kind}.csv`)], { dataDir: data })).code).toBe(0);
    }
    expect((await runCli(['run', 'daily', '--as-of', '2026-03-01'], { dataDir: data })).code).toBe(0);
    const before = await runCli(['export', 'delinquency', '--as-of', '2026-03-01'], { dataDir: data });

    const file = join(files, 'clement.bak');
    const backup = await runCli(['backup', file], { dataDir: data });
    expect(backup.code, backup.stderr).toBe(0);
    const restore = await runCli(['restore', file], { dataDir: restored });
    expect(restore.code, restore.stderr).toBe(0);

    const after = await runCli(['export', 'delinquency', '--as-of', '2026-03-01'], { dataDir: restored });
    expect(after.stdout).toBe(before.stdout);
    expect(after.stdout).toContain('L1,28,M1,3000.00,45.00,0.00,3045.00');
    // The keys came along: re-encrypting needs to read every value.
    const rotate = await runCli(['keys', 'rotate'], { dataDir: restored });
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stdout).toMatch(/1 borrowers re-encrypted/);

    const again = await runCli(['restore', file], { dataDir: restored });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a database/);
  }, 180_000);
});
