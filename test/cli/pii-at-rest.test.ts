// Plain personal data never appears in the database files or the logs: a known phone number and
// ID number go in through the CLI with the most verbose logging, through the daily run, a key
// rotation and a rejected file; then every file of the data folder and every log line is searched.
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migratedDataDir, runCli, tempDir } from '../support/cli.js';

const PHONE = '+8613912345678';
const ID_NUMBER = '11010519491231002X';
const CONTACT_PHONE = '+8613987654321';
const EMAIL = 'zhang.known@example.com';
const NEEDLES = [PHONE.slice(1), ID_NUMBER, CONTACT_PHONE.slice(1), EMAIL, '北京市朝阳区望京街道'];

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    if ((await stat(p)).isDirectory()) yield* filesUnder(p);
    else yield p;
  }
}

describe('personal data at rest and in logs', () => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const d of cleanup) await rm(d, { recursive: true, force: true });
  });

  it('is found in no file of the data folder and in no log line', async () => {
    const data = await migratedDataDir('pii');
    const csv = await tempDir('pii-csv');
    cleanup.push(data, csv);
    await writeFile(
      join(csv, 'borrowers.csv'),
      `borrower_id,name,id_number,phone,email,timezone,locale,address\nB1,张三,${ID_NUMBER},${PHONE},${EMAIL},,zh-CN,北京市朝阳区望京街道1号\n`,
    );
    await writeFile(join(csv, 'contacts.csv'), `contact_id,borrower_id,relation,name,phone\nC1,B1,spouse,李四,${CONTACT_PHONE}\n`);
    await writeFile(join(csv, 'loans.csv'), 'loan_id,borrower_id,product_id,principal,annual_rate,disbursed_on,currency\nL1,B1,default,3000,0.18,2026-01-01,CNY\n');
    await writeFile(join(csv, 'installments.csv'), 'loan_id,seq,due_on,principal,interest,fee\nL1,1,2026-02-01,3000,45,0\n');
    // A rejected file whose bad row carries the personal values: the error must not echo them.
    await writeFile(
      join(csv, 'bad.csv'),
      `borrower_id,name,id_number,phone,email,timezone,locale,address\nB2,王五,${ID_NUMBER.slice(0, 17)}1,${PHONE.slice(1)},${EMAIL},,zh-CN,\n`,
    );

    const env = { LOG_LEVEL: 'trace' };
    let log = '';
    const run = async (...args: string[]) => {
      const r = await runCli(args, { dataDir: data, env });
      log += r.stdout + r.stderr;
      return r;
    };
    for (const kind of ['borrowers', 'contacts', 'loans', 'installments']) {
      expect((await run('import', kind, join(csv, `${kind}.csv`))).code).toBe(0);
    }
    expect((await run('import', 'borrowers', join(csv, 'bad.csv'))).code).toBe(1);
    expect((await run('run', 'daily', '--as-of', '2026-03-01')).code).toBe(0);
    expect((await run('keys', 'rotate')).code).toBe(0);
    expect((await run('export', 'delinquency', '--as-of', '2026-03-01')).code).toBe(0);
    expect(log).toMatch(/daily run/);

    for (const needle of NEEDLES) expect(log, `log contains ${needle}`).not.toContain(needle);
    let searched = 0;
    for await (const file of filesUnder(data)) {
      if (file.endsWith('keys.json')) continue;
      const bytes = await readFile(file);
      searched++;
      for (const needle of NEEDLES) {
        expect(bytes.includes(Buffer.from(needle, 'utf8')), `${file} contains ${needle}`).toBe(false);
      }
    }
    expect(searched).toBeGreaterThan(100);
  }, 180_000);
});
