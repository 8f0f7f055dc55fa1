// The ledger CLI as an operator uses it: real `clement` child processes on their own data folders.
// A child process costs one to three seconds, so each scenario is a sequence of commands on one
// data folder, the scenarios run side by side (started in beforeAll), and the tests read what
// each command printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migratedDataDir, runCli, spawnCli, tempDir, type CliResult } from '../support/cli.js';

const SLOW = 300_000;
const EXPORT_HEADER = 'loan_id,dpd,bucket,overdue_principal,overdue_interest,overdue_fee,total_overdue';
const STACK = /\n\s+at |\.(ts|js|mjs):\d+:\d+|node_modules/;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function dir(prefix: string, migrated = true): Promise<string> {
  const d = migrated ? await migratedDataDir(prefix) : await tempDir(prefix);
  dirs.push(d);
  return d;
}

/** Writes a CSV file from lines; `eol` and a byte-order mark as a lender's system might. */
async function csv(folder: string, name: string, lines: string[], { eol = '\n', bom = false } = {}): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, (bom ? '\uFEFF' : '') + lines.join(eol) + eol, 'utf8');
  return path;
}

function summary(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

/** Starts a scenario without awaiting it; tests await the promise (a failure fails them, not the run). */
function started<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

// ---------------------------------------------------------------- the happy path, from an empty folder

const D = '2026-02-20';

interface HappyPath {
  folder: string;
  first: Record<'borrowers' | 'contacts' | 'loans' | 'installments' | 'payments', CliResult>;
  daily: CliResult;
  exportStdout: CliResult;
  reimportBorrowers: CliResult;
  reimportPayments: CliResult;
  headerOnly: CliResult;
  exportOut: CliResult;
  exportFile: string;
  badDailyDate: CliResult;
  badExportDate: CliResult;
  /** The ledger folder's bad files (see BAD_FILES), a file with a NUL, and the export after them. */
  bad: Map<string, CliResult>;
  nul: CliResult;
  exportAfterBad: CliResult;
}

async function happyPath(): Promise<HappyPath> {
  const dataDir = join(await dir('happy', false), 'data'); // does not exist yet
  const folder = await dir('happy-files', false);
  // Borrowers as a Windows export: BOM, CRLF, a quoted name with a comma and an escaped quote,
  // an unknown column, and no address column (it is optional).
  const borrowers = await csv(
    folder,
    'borrowers.csv',
    [
      'borrower_id,name,id_number,phone,email,timezone,locale,nickname',
      'B1,"Wang, Fang",11010519491231002X,+8613800000001,wang@example.cn,Asia/Shanghai,zh-CN,芳芳',
      'B2,李雷,,+8613800000002,,,en,',
      'B3,"韩梅梅 ""Meimei""",,+8613800000003,,,zh-CN,梅梅',
    ],
    { eol: '\r\n', bom: true },
  );
  const contacts = await csv(folder, 'contacts.csv', [
    'contact_id,borrower_id,relation,name,phone',
    'C1,B1,spouse,李华,+8613900000001',
    'C2,B2,emergency_contact,"Li, Ming",+8613900000002',
  ]);
  const loans = await csv(folder, 'loans.csv', [
    'loan_id,borrower_id,product_id,principal,annual_rate,disbursed_on,currency',
    'L1,B1,default,3000,0.18,2025-12-15,CNY',
    'L2,B2,default,2000.00,0.24,2026-01-10,CNY',
    'L10,B1,cash-30,500,0.36,2025-11-01,CNY',
    'L3,B3,default,1000,0.18,2026-04-01,CNY',
  ]);
  const installments = await csv(folder, 'installments.csv', [
    'loan_id,seq,due_on,principal,interest,fee',
    'L1,1,2026-01-15,1000,60,0',
    'L1,2,2026-02-15,1000,60,0',
    'L1,3,2026-03-15,1000,60,0',
    'L10,1,2025-12-01,500,30,5',
    'L2,1,2026-02-10,1000,40,10',
    'L2,2,2026-03-10,1000,40,10',
    'L3,1,2026-05-01,1000,15,0',
  ]);
  const payments = await csv(folder, 'payments.csv', [
    'payment_id,loan_id,paid_at,amount',
    // Installment 1 of L1, paid in full on its due date (20:00 in Shanghai).
    'P1,L1,2026-01-15T20:00:00+08:00,1060',
    // 00:30 on 2026-02-21 in Shanghai: after the as-of date, so it does not count for it.
    'P2,L1,2026-02-20T16:30:00Z,1060',
    // The fee (10) and part of the interest (10.50) of L2's first installment.
    'P3,L2,2026-02-12T10:00:00+08:00,20.5',
  ]);
  const headerOnly = await csv(folder, 'payments-empty.csv', ['payment_id,loan_id,paid_at,amount'], { eol: '\r\n' });
  const exportFile = join(folder, 'delinquency.csv');
  const run = (...args: string[]) => runCli(args, { dataDir });

  const first = {
    borrowers: await run('import', 'borrowers', borrowers),
    contacts: await run('import', 'contacts', contacts),
    loans: await run('import', 'loans', loans),
    installments: await run('import', 'installments', installments),
    payments: await run('import', 'payments', payments),
  };
  const daily = await run('run', 'daily', '--as-of', D);
  const exportStdout = await run('export', 'delinquency', '--as-of', D);
  const reimportBorrowers = await run('import', 'borrowers', borrowers);
  const reimportPayments = await run('import', 'payments', payments);
  const headerOnlyResult = await run('import', 'payments', headerOnly);
  const exportOut = await run('export', 'delinquency', '--as-of', D, '--out', exportFile);
  const badDailyDate = await run('run', 'daily', '--as-of', '2026-13-01');
  const badExportDate = await run('export', 'delinquency', '--as-of', '2026-02-30');
  const bad = new Map<string, CliResult>();
  await importBadFiles(dataDir, 'ledger', bad);
  const nulFile = await csv(folder, 'borrowers-nul.csv', ['borrower_id,name,id_number,phone,email,timezone,locale', 'B30,张\u0000三,,+8613800000030,,,zh-CN']);
  const nul = await run('import', 'borrowers', nulFile);
  const exportAfterBad = await run('export', 'delinquency', '--as-of', D);
  return {
    bad,
    nul,
    exportAfterBad,
    folder: dataDir,
    first,
    daily,
    exportStdout,
    reimportBorrowers,
    reimportPayments,
    headerOnly: headerOnlyResult,
    exportOut,
    exportFile,
    badDailyDate,
    badExportDate,
  };
}

// ---------------------------------------------------------------- files with one bad row

const ID_BAD_CHECK = '110105194912310021';

interface BadFile {
  name: string;
  kind: string;
  file: string;
  lines: string[];
  eol?: string;
  /**
   * Which data folder the file goes to: `ledger`, the happy path's (borrowers, loans, installments
   * and payments; its export must not change), or `borrowers`, the lock scenario's (borrowers
   * B42 and B43 only; corrected files imported afterwards must create every row).
   */
  folder: 'ledger' | 'borrowers';
  /** What stderr must say: the physical line, the column by header name, and a reason. */
  line: number;
  column: string;
  reason: RegExp;
}

const BAD_FILES: BadFile[] = [
  {
    name: 'a payment for an unknown loan',
    folder: 'ledger',
    kind: 'payments',
    file: 'payments-unknown-loan.csv',
    lines: ['payment_id,loan_id,paid_at,amount', 'PB1,L1,2026-02-01T10:00:00+08:00,100', 'PB2,L404,2026-02-01T10:00:00+08:00,100'],
    line: 3,
    column: 'loan_id',
    reason: /no loan has this id: L404/,
  },
  {
    name: 'a negative amount',
    folder: 'ledger',
    kind: 'payments',
    file: 'payments-negative.csv',
    lines: ['payment_id,loan_id,paid_at,amount', 'PN1,L2,2026-02-01T10:00:00+08:00,100', 'PN2,L2,2026-02-02T10:00:00+08:00,-5'],
    line: 3,
    column: 'amount',
    reason: /must not be negative/,
  },
  {
    name: 'an installment for an unknown loan',
    folder: 'ledger',
    kind: 'installments',
    file: 'installments-unknown-loan.csv',
    lines: ['loan_id,seq,due_on,principal,interest,fee', 'L10,2,2026-01-01,500,30,5', 'L404,1,2026-02-10,1000,60,0'],
    line: 3,
    column: 'loan_id',
    reason: /no loan has this id: L404/,
  },
  {
    name: 'a malformed amount (a quoted thousands separator)',
    folder: 'ledger',
    kind: 'installments',
    file: 'installments-malformed.csv',
    lines: ['loan_id,seq,due_on,principal,interest,fee', 'L10,2,2026-01-01,500,30,5', 'L10,3,2026-01-15,"1,000",60,0'],
    line: 3,
    column: 'principal',
    reason: /"1,000" is not an amount/,
  },
  {
    name: 'a date that does not exist',
    folder: 'borrowers',
    kind: 'loans',
    file: 'loans-bad-date.csv',
    lines: [
      'loan_id,borrower_id,product_id,principal,annual_rate,disbursed_on,currency',
      'L3,B43,default,1000,0.18,2026-01-30,CNY',
      'L4,B43,default,1000,0.18,2026-02-30,CNY',
    ],
    line: 3,
    column: 'disbursed_on',
    reason: /2026-02-30 is not a date that exists/,
  },
  {
    name: 'an ID number with a wrong GB 11643 check digit',
    folder: 'borrowers',
    kind: 'borrowers',
    file: 'borrowers-bad-id.csv',
    lines: ['borrower_id,name,id_number,phone,email,timezone,locale', 'B20,周九,,+8613800000020,,,zh-CN', `B21,吴十,${ID_BAD_CHECK},+8613800000021,,,zh-CN`],
    line: 3,
    column: 'id_number',
    reason: /check digit should be X/,
  },
  {
    // A quoted address spans lines 2-3, and the bad row (line 5) itself spans lines 5-6.
    name: 'a phone number not in E.164, after a multi-line quoted field',
    folder: 'borrowers',
    kind: 'borrowers',
    file: 'borrowers-bad-phone.csv',
    lines: [
      'borrower_id,name,id_number,phone,email,timezone,locale,address',
      'B10,赵六,,+8613800000010,,,zh-CN,"北京市朝阳区\n某某路1号"',
      'B11,钱七,,+8613800000011,,,zh-CN,',
      'B12,孙八,,13800000012,,,zh-CN,"上海市\n徐汇区"',
      'B13,李四,,+8613800000013,,,zh-CN,',
    ],
    line: 5,
    column: 'phone',
    reason: /must start with \+/,
  },
  {
    // The same file with CRLF line ends, inside the quoted fields too (as Excel writes them).
    name: 'a phone number not in E.164, after a multi-line quoted field, with CRLF line ends',
    folder: 'borrowers',
    kind: 'borrowers',
    file: 'borrowers-bad-phone-crlf.csv',
    eol: '\r\n',
    lines: [
      'borrower_id,name,id_number,phone,email,timezone,locale,address',
      'B10,赵六,,+8613800000010,,,zh-CN,"北京市朝阳区\r\n某某路1号"',
      'B11,钱七,,+8613800000011,,,zh-CN,',
      'B12,孙八,,13800000012,,,zh-CN,"上海市\r\n徐汇区"',
      'B13,李四,,+8613800000013,,,zh-CN,',
    ],
    line: 5,
    column: 'phone',
    reason: /must start with \+/,
  },
  {
    name: 'a row whose id exists with different values',
    folder: 'borrowers',
    kind: 'borrowers',
    file: 'borrowers-conflict.csv',
    lines: [
      'borrower_id,name,id_number,phone,email,timezone,locale',
      'B22,冯三,,+8613800000022,,,zh-CN',
      'B42,借款人,,+8613800000042,,,zh-CN',
      'B43,另一个名字,,+8613800000043,,,zh-CN',
    ],
    line: 4,
    column: 'name',
    reason: /differs from the stored row with the same id/,
  },
  {
    name: 'the same id twice in one file with different values',
    folder: 'borrowers',
    kind: 'loans',
    file: 'loans-repeat.csv',
    lines: [
      'loan_id,borrower_id,product_id,principal,annual_rate,disbursed_on,currency',
      'L5,B43,default,1000,0.18,2026-01-05,CNY',
      'L6,B42,default,1000,0.18,2026-01-05,CNY',
      'L5,B43,default,2000,0.18,2026-01-05,CNY',
    ],
    line: 4,
    column: 'principal',
    reason: /repeats L5 from line 2 with a different value/,
  },
  {
    name: 'a missing required column',
    folder: 'borrowers',
    kind: 'contacts',
    file: 'contacts-missing-column.csv',
    lines: ['contact_id,borrower_id,name,phone', 'C1,B43,李华,+8613900000001'],
    line: 1,
    column: 'relation',
    reason: /missing/,
  },
];

/** Imports each bad file meant for this folder; returns what each command printed. */
async function importBadFiles(dataDir: string, folder: BadFile['folder'], results: Map<string, CliResult>): Promise<void> {
  const files = await dir(`bad-${folder}`, false);
  for (const f of BAD_FILES.filter((x) => x.folder === folder)) {
    const path = await csv(files, f.file, f.lines, { eol: f.eol ?? '\n' });
    results.set(f.name, await runCli(['import', f.kind, path], { dataDir }));
  }
}

// ---------------------------------------------------------------- the data folder lock

interface LockScenario {
  running: string;
  listening: string | null;
  health: number | null;
  holderPid: number;
  second: CliResult;
  serverAliveAfterSecond: boolean;
  stopped: CliResult;
  lockLeftAfterStop: boolean;
  afterStop: CliResult;
  afterStale: CliResult;
  /** Then, in the same folder (borrowers B42 and B43): the `borrowers` bad files and corrected versions. */
  bad: Map<string, CliResult>;
  goodBorrowers: CliResult;
  goodLoans: CliResult;
}

async function lockScenario(): Promise<LockScenario> {
  const dataDir = await dir('lock');
  const folder = await dir('lock-files', false);
  const file = (n: number) =>
    csv(folder, `borrowers-${n}.csv`, ['borrower_id,name,id_number,phone,email,timezone,locale', `B${n},借款人,,+86138000000${n},,,zh-CN`]);
  const server = spawnCli(['serve'], { dataDir, env: { PORT: '0', HOST: '127.0.0.1' }, timeoutMs: 120_000 });
  let r: Omit<LockScenario, 'bad' | 'goodBorrowers' | 'goodLoans'>;
  try {
    const running = (await server.waitFor(/Clement is running at \S+/, 90_000))[0];
    // Fastify logs the address it really listens on (stderr, JSON lines).
    const listening = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 10_000).catch(() => null))?.[1] ?? null;
    const health = listening ? (await fetch(`${listening}/api/health`)).status : null;
    const holderPid = JSON.parse(await readFile(join(dataDir, 'clement.lock'), 'utf8')).pid as number;
    const second = await runCli(['import', 'borrowers', await file(41)], { dataDir });
    const serverAliveAfterSecond = server.child.exitCode === null;
    server.child.kill('SIGTERM');
    const stopped = await server.exited;
    const lockLeftAfterStop = existsSync(join(dataDir, 'clement.lock'));
    const afterStop = await runCli(['import', 'borrowers', await file(42)], { dataDir });
    // A lock left by a process that died without releasing it (kill -9): the server's own pid, now dead.
    await writeFile(join(dataDir, 'clement.lock'), JSON.stringify({ pid: holderPid, command: 'clement serve', since: new Date().toISOString() }));
    const afterStale = await runCli(['import', 'borrowers', await file(43)], { dataDir });
    r = { running, listening, health, holderPid, second, serverAliveAfterSecond, stopped, lockLeftAfterStop, afterStop, afterStale };
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
  const bad = new Map<string, CliResult>();
  await importBadFiles(dataDir, 'borrowers', bad);
  // The new rows of every rejected file, corrected: each must be created now.
  const goodBorrowers = await runCli(
    [
      'import',
      'borrowers',
      await csv(folder, 'borrowers-good.csv', [
        'borrower_id,name,id_number,phone,email,timezone,locale,address',
        'B10,赵六,,+8613800000010,,,zh-CN,"北京市朝阳区\n某某路1号"',
        'B11,钱七,,+8613800000011,,,zh-CN,',
        'B12,孙八,,+8613800000012,,,zh-CN,"上海市\n徐汇区"',
        'B13,李四,,+8613800000013,,,zh-CN,',
        'B20,周九,,+8613800000020,,,zh-CN,',
        'B22,冯三,,+8613800000022,,,zh-CN,',
      ]),
    ],
    { dataDir },
  );
  const goodLoans = await runCli(
    [
      'import',
      'loans',
      await csv(folder, 'loans-good.csv', [
        'loan_id,borrower_id,product_id,principal,annual_rate,disbursed_on,currency',
        'L3,B43,default,1000,0.18,2026-01-30,CNY',
        'L5,B43,default,1000,0.18,2026-01-05,CNY',
        'L6,B42,default,1000,0.18,2026-01-05,CNY',
      ]),
    ],
    { dataDir },
  );
  return { ...r, bad, goodBorrowers, goodLoans };
}

// ---------------------------------------------------------------- the demo portfolio as CSV

interface DemoScenario {
  demo: CliResult;
  files: string[];
  imports: [string, CliResult][];
}

const DEMO_ORDER = ['borrowers', 'contacts', 'loans', 'installments', 'payments'] as const;

async function demoScenario(): Promise<DemoScenario> {
  const out = join(await dir('demo-out', false), 'csv');
  const dataDir = await dir('demo');
  const demo = await runCli(['demo', '--borrowers', '50', '--out', out], { dataDir });
  const files = existsSync(out) ? (await readdir(out)).sort() : [];
  const imports: [string, CliResult][] = [];
  for (const kind of DEMO_ORDER) imports.push([kind, await runCli(['import', kind, join(out, `${kind}.csv`)], { dataDir })]);
  return { demo, files, imports };
}

// ---------------------------------------------------------------- the tests

let happy: Promise<HappyPath>;
let lock: Promise<LockScenario>;
let demo: Promise<DemoScenario>;

beforeAll(() => {
  // Side by side: each scenario is a sequence of commands on its own data folder.
  lock = started(lockScenario());
  happy = started(happyPath());
  demo = started(demoScenario());
});

describe('clement import, run daily, export delinquency', () => {
  it('a first command creates and migrates an empty data folder, and imports a CSV with BOM, CRLF, quoted commas and an unknown column', { timeout: SLOW }, async () => {
    const h = await happy;
    const r = h.first.borrowers;
    expect(r.code, summary(r)).toBe(0);
    expect(r.stdout).toBe('borrowers: 3 rows read, 3 created, 0 already present\n');
    expect(r.stderr).toContain('warning: borrowers.csv: column nickname is not used and was ignored');
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(join(h.folder, 'pgdata', 'PG_VERSION'))).toBe(true);
    // The command released the folder when it ended.
    expect(existsSync(join(h.folder, 'clement.lock'))).toBe(false);
  });

  it('imports contacts, loans, installments and payments in order', { timeout: SLOW }, async () => {
    const h = await happy;
    const expected = {
      contacts: 'contacts: 2 rows read, 2 created, 0 already present\n',
      loans: 'loans: 4 rows read, 4 created, 0 already present\n',
      installments: 'installments: 7 rows read, 7 created, 0 already present\n',
      payments: 'payments: 3 rows read, 3 created, 0 already present\n',
    };
    for (const [kind, line] of Object.entries(expected)) {
      const r = h.first[kind as keyof typeof expected];
      expect(r.code, `${kind}: ${summary(r)}`).toBe(0);
      expect(r.stdout).toBe(line);
      expect(r.stderr).toBe('');
    }
  });

  it('run daily ages the portfolio and opens a case per borrower with an overdue loan', { timeout: SLOW }, async () => {
    const r = (await happy).daily;
    expect(r.code, summary(r)).toBe(0);
    expect(r.stdout).toMatch(/^daily run as of 2026-02-20 \((full|event)\): \d+ loans aged, 2 cases opened, 0 closed\n$/);
  });

  it('export delinquency prints the header and one row per disbursed loan, ordered by loan_id, amounts with two decimals', { timeout: SLOW }, async () => {
    const r = (await happy).exportStdout;
    expect(r.code, summary(r)).toBe(0);
    const lines = r.stdout.split(/\r?\n/).filter((l) => l !== '');
    expect(lines).toEqual([
      EXPORT_HEADER,
      // L1: installment 1 paid; installment 2 (due 02-15) unpaid; P2 falls on 02-21 in Shanghai.
      'L1,5,M1,1000.00,60.00,0.00,1060.00',
      // L10 (ordered as text, after L1): due 2025-12-01, 81 days.
      'L10,81,M3,500.00,30.00,5.00,535.00',
      // L2: fee 10 and 10.50 of the interest paid.
      'L2,10,M1,1000.00,29.50,0.00,1029.50',
      // L3 is disbursed after the date: no row.
    ]);
  });

  it('re-importing the same files prints 0 created and changes nothing', { timeout: SLOW }, async () => {
    const h = await happy;
    expect(h.reimportBorrowers.code, summary(h.reimportBorrowers)).toBe(0);
    expect(h.reimportBorrowers.stdout).toBe('borrowers: 3 rows read, 0 created, 3 already present\n');
    expect(h.reimportPayments.code, summary(h.reimportPayments)).toBe(0);
    expect(h.reimportPayments.stdout).toBe('payments: 3 rows read, 0 created, 3 already present\n');
    // The export after the re-imports (to a file this time) is byte for byte the one before.
    expect(h.exportOut.code, summary(h.exportOut)).toBe(0);
    expect(h.exportOut.stdout).toBe('');
    expect(await readFile(h.exportFile, 'utf8')).toBe(h.exportStdout.stdout);
  });

  it('a file with only a header imports nothing and succeeds', { timeout: SLOW }, async () => {
    const r = (await happy).headerOnly;
    expect(r.code, summary(r)).toBe(0);
    expect(r.stdout).toBe('payments: 0 rows read, 0 created, 0 already present\n');
  });

  it('an --as-of that is not a date exits non-zero with a clear message', { timeout: SLOW }, async () => {
    const h = await happy;
    for (const [r, date] of [
      [h.badDailyDate, '2026-13-01'],
      [h.badExportDate, '2026-02-30'],
    ] as const) {
      expect(r.code, summary(r)).not.toBe(0);
      expect(r.stderr).toContain(`--as-of: ${date} is not a date`);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stdout).not.toMatch(/^L\d/m);
    }
  });
});

describe('clement import: one bad row rejects the whole file', () => {
  const resultOf = async (f: BadFile) => (f.folder === 'ledger' ? (await happy).bad : (await lock).bad).get(f.name)!;

  it.each(BAD_FILES.map((f) => [f.name, f] as const))('%s: exit 1 naming file, line, column and reason', { timeout: SLOW }, async (_name, f) => {
    const r = await resultOf(f);
    expect(r.code, summary(r)).toBe(1);
    expect(r.stdout).toBe('');
    const line = String(f.line);
    expect(r.stderr).toMatch(new RegExp(`^clement: ${f.file.replace('.', '\\.')}, line ${line}, column ${f.column}: `));
    expect(r.stderr).toMatch(f.reason);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('nothing of a rejected payments or installments file is left: the export is unchanged', { timeout: SLOW }, async () => {
    const h = await happy;
    expect(h.exportAfterBad.code, summary(h.exportAfterBad)).toBe(0);
    expect(h.exportAfterBad.stdout).toBe(h.exportStdout.stdout);
  });

  it('nothing of a rejected borrowers or loans file is left: their good rows, imported again, are all created', { timeout: SLOW }, async () => {
    const l = await lock;
    expect(l.goodBorrowers.code, summary(l.goodBorrowers)).toBe(0);
    expect(l.goodBorrowers.stdout).toBe('borrowers: 6 rows read, 6 created, 0 already present\n');
    expect(l.goodLoans.code, summary(l.goodLoans)).toBe(0);
    expect(l.goodLoans.stdout).toBe('loans: 3 rows read, 3 created, 0 already present\n');
  });

  it('a NUL character in a field is refused with exit 1', { timeout: SLOW }, async () => {
    const r = (await happy).nul;
    expect(r.code, summary(r)).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('a NUL character in a field is named like any other bad value, without a stack trace', { timeout: SLOW }, async () => {
    const r = (await happy).nul;
    expect(r.stderr).toMatch(/^clement: borrowers-nul\.csv, line 2, column name: /);
    expect(r.stderr).not.toMatch(STACK);
  });
});

describe('the data folder lock', () => {
  it('serve holds the data folder: a second command fails with exit 1 naming the holder\'s pid and command', { timeout: SLOW }, async () => {
    const l = await lock;
    expect(l.running).toMatch(/Clement is running at http:\/\//);
    expect(l.health).toBe(200);
    expect(l.second.code, summary(l.second)).toBe(1);
    expect(l.second.stderr).toContain(`in use by process ${l.holderPid} (clement serve`);
    expect(l.second.stderr).not.toMatch(STACK);
    expect(l.second.stdout).toBe('');
    expect(l.serverAliveAfterSecond).toBe(true);
  });

  it('after SIGTERM the server stops cleanly, releases the folder, and the next command works', { timeout: SLOW }, async () => {
    const l = await lock;
    expect(l.stopped.code, summary(l.stopped)).toBe(0);
    expect(l.stopped.stdout).toContain('SIGTERM received');
    expect(l.lockLeftAfterStop).toBe(false);
    expect(l.afterStop.code, summary(l.afterStop)).toBe(0);
    expect(l.afterStop.stdout).toBe('borrowers: 1 rows read, 1 created, 0 already present\n');
  });

  it('a stale lock file left by a process that died does not block', { timeout: SLOW }, async () => {
    const l = await lock;
    expect(l.afterStale.code, summary(l.afterStale)).toBe(0);
    expect(l.afterStale.stdout).toBe('borrowers: 1 rows read, 1 created, 0 already present\n');
  });

  it('with PORT=0, serve prints the URL it actually listens on', { timeout: SLOW }, async () => {
    const l = await lock;
    expect(l.listening).not.toBeNull();
    const port = new URL(l.listening!).port;
    expect(l.running).toBe(`Clement is running at http://localhost:${port}/`);
  });
});

describe('clement demo', () => {
  it('writes five CSV files', { timeout: SLOW }, async () => {
    const d = await demo;
    expect(d.demo.code, summary(d.demo)).toBe(0);
    expect(d.files).toEqual(['borrowers.csv', 'contacts.csv', 'installments.csv', 'loans.csv', 'payments.csv']);
    expect(d.demo.stdout).toMatch(/borrowers\.csv: 50 rows/);
  });

  it('the files import cleanly in order, every row created', { timeout: SLOW }, async () => {
    const d = await demo;
    for (const [kind, r] of d.imports) {
      expect(r.code, `${kind}: ${summary(r)}`).toBe(0);
      const written = Number(d.demo.stdout.match(new RegExp(`${kind}\\.csv: (\\d+) rows`))?.[1]);
      expect(written, kind).toBeGreaterThan(0);
      expect(r.stdout).toBe(`${kind}: ${written} rows read, ${written} created, 0 already present\n`);
      expect(r.stderr).toBe('');
    }
  });
});
