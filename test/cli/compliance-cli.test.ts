// The real CLI as a child process, the way a lender's scripts use it: JSON or JSONL on stdin or in
// a file, answers on stdout, the exit code telling whether the input could be read. These
// commands are pure: the data folder they would use must not even be created.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPLIANCE_SAMPLE } from '../../src/domain/compliance/request.fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'clement-cli-'));
const dataDir = join(dir, 'never-created');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: any[];
}

function clement(args: string[], stdin = '', env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...rest, CLEMENT_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
      resolve({ code, stdout, stderr, lines });
    });
    child.stdin.end(stdin);
  });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The sample request of COMPLIANCE.md. */
const sample = COMPLIANCE_SAMPLE;
const ALLOWED = { allowed: true, reasons: [], nextAllowedAt: null };
const jsonl = (...items: unknown[]) => items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('\n') + '\n';

describe('clement compliance check', () => {
  it('decides one request from a file (pretty-printed JSON is fine) and never opens the database', async () => {
    const r = await clement(['compliance', 'check', file('sample.json', JSON.stringify(sample, null, 2))]);
    expect(r).toMatchObject({ code: 0, stderr: '', lines: [ALLOWED] });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('reads stdin; a refusal is an answer (exit 0)', async () => {
    const r = await clement(['compliance', 'check'], JSON.stringify({ ...sample, at: '2026-03-02T22:00:00+08:00' }));
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      { allowed: false, reasons: [{ code: 'OUTSIDE_HOURS', rule: 'cn.hours', message: expect.any(String) }], nextAllowedAt: '2026-03-03T08:00:00+08:00' },
    ]);
  });

  it.each([
    ['an unknown field', () => ['compliance', 'check', file('unknown.json', JSON.stringify({ ...sample, priority: 'high' }))], /priority/],
    ['a nested unknown field', () => ['compliance', 'check', file('nested.json', JSON.stringify({ ...sample, borrower: { ...sample.borrower, nickname: 'x' } }))], /borrower\.nickname/],
    ['a missing file', () => ['compliance', 'check', join(dir, 'missing.json')], /missing\.json: no such file/],
    ['a file that is not JSON', () => ['compliance', 'check', file('broken.json', '{"at":')], /not valid JSON/],
    ['an empty file', () => ['compliance', 'check', file('empty.json', '')], /empty/],
    ['a directory', () => ['compliance', 'check', dir], /directory/],
  ])('exits 2 with a clear message for %s', async (_what, args, message) => {
    const r = await clement(args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--jsonl: one answer per line, in order; a bad line gets an error line and the rest go on', async () => {
    const input = jsonl(
      sample,
      'not json',
      { ...sample, priority: 'high' },
      '',
      { ...sample, at: '2026-03-02T22:00:00+08:00' },
      { ...sample, borrower: { ...sample.borrower, flags: ['bankrupt'] } },
      { ...sample, policy: 'us', at: '2026-03-02T21:30:00+08:00' },
    );
    const r = await clement(['compliance', 'check', '--jsonl'], input.replaceAll('\n', '\r\n'));
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(7);
    expect(r.lines[0]).toEqual(ALLOWED);
    expect(r.lines[1]).toEqual({ error: { code: 'REQUEST.INVALID_JSON', message: expect.stringContaining('line 2'), field: '(root)' } });
    expect(r.lines[2]).toEqual({ error: { code: 'REQUEST.INVALID', message: expect.stringContaining('priority'), field: 'priority' } });
    expect(r.lines[3].error.field).toBe('(root)');
    expect(r.lines[4].reasons.map((x: any) => x.code)).toEqual(['OUTSIDE_HOURS']);
    expect(r.lines[5]).toEqual({ error: expect.objectContaining({ field: 'borrower.flags.0' }) });
    // The request's own preset: 21:30 is inside cn's hours but outside us's.
    expect(r.lines[6].reasons.map((x: any) => x.rule)).toEqual(['us.hours']);
  });

  it("--policy-file decides every request under the lender's narrowed policy; a request naming no preset gets CLEMENT_POLICY", async () => {
    const policy = file('lender.yaml', 'preset: cn\nhours:\n  from: "09:00"\n');
    const { policy: _p, ...noPreset } = sample;
    const early = { ...sample, at: '2026-03-02T08:30:00+08:00' };
    const withFile = await clement(['compliance', 'check', '--jsonl', '--policy-file', policy], jsonl(early, { ...noPreset, at: early.at }));
    expect(withFile.code).toBe(0);
    for (const line of withFile.lines) expect(line).toMatchObject({ allowed: false, nextAllowedAt: '2026-03-02T09:00:00+08:00' });

    const bare = await clement(['compliance', 'check', '--jsonl'], jsonl(early, { ...noPreset, at: '2026-03-02T21:30:00+08:00' }), { CLEMENT_POLICY: 'us' });
    expect(bare.lines[0]).toEqual(ALLOWED);
    expect(bare.lines[1].reasons.map((x: any) => x.rule)).toEqual(['us.hours']);
  });

  it('exits 2 naming the field when the policy file would loosen its preset', async () => {
    const r = await clement(['compliance', 'check', '--jsonl', '--policy-file', file('loose.yaml', 'preset: cn\nlimits:\n  dailyAttemptsPerNumber: 10\n')], jsonl(sample));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/limits\.dailyAttemptsPerNumber/);
  });
});

describe('clement screen and clement wellbeing', () => {
  it('screen --jsonl: findings with category, span, offsets and a suggestion; lang is never an error', async () => {
    const abusive = '你这个老赖，再不还钱就去你单位闹';
    const r = await clement(
      ['screen', '--jsonl'],
      jsonl(
        { id: 'a', text: abusive, lang: 'xx' },
        { id: 2, text: '逾期将影响您的征信记录，如有异议请联系我们。' },
        { text: 'Pay today or we will have you arrested.', lang: 'en' },
        { id: 'd' },
        'oops',
      ),
    );
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(5);
    expect(r.lines[0].id).toBe('a');
    const insult = r.lines[0].findings.find((f: any) => f.category === 'insult');
    expect(insult).toEqual({ category: 'insult', span: '老赖', start: abusive.indexOf('老赖'), end: abusive.indexOf('老赖') + 2, suggestion: expect.any(String) });
    expect(r.lines[1]).toEqual({ id: 2, findings: [] });
    expect(r.lines[2].id).toBeNull();
    expect(r.lines[2].findings.map((f: any) => f.category)).toContain('false_legal');
    expect(r.lines[3]).toEqual({ id: 'd', error: { code: 'REQUEST.INVALID', message: 'text is required', field: 'text' } });
    expect(r.lines[4]).toEqual({ id: null, error: expect.objectContaining({ code: 'REQUEST.INVALID_JSON' }) });
  });

  it('wellbeing --jsonl: level and signals per line', async () => {
    const r = await clement(['wellbeing', '--jsonl'], jsonl({ id: 1, text: '遗书都写好了' }, { id: 2, text: '我下周一还款，谢谢', lang: 'zh' }, { id: 3, text: 'I lost my job last month', lang: 'klingon' }));
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.id, l.level])).toEqual([
      [1, 'crisis'],
      [2, 'none'],
      [3, 'concern'],
    ]);
    expect(r.lines[0].signals[0]).toEqual({ code: expect.any(String), level: 'crisis', span: expect.any(String), start: expect.any(Number), end: expect.any(Number) });
  });

  it('streams a large input in order (10,000 lines each way)', async () => {
    const texts = ['您好，您的账单已逾期3天，请尽快还款。', '你这个老赖', 'Please call us back at your convenience.', '我不想活了'];
    const n = 10_000;
    const input = Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, text: texts[i % texts.length] })).join('\n') + '\n';
    const [screen, wellbeing] = await Promise.all([clement(['screen', '--jsonl'], input), clement(['wellbeing', '--jsonl'], input)]);
    for (const r of [screen, wellbeing]) {
      expect(r.code).toBe(0);
      expect(r.lines).toHaveLength(n);
      expect(r.lines.every((l, i) => l.id === i)).toBe(true);
    }
    expect(screen.lines[1].findings[0].category).toBe('insult');
    expect(wellbeing.lines[3].level).toBe('crisis');
  });

  it('screen without --jsonl reads one item; an invalid one or unreadable input exits 2', async () => {
    const ok = await clement(['screen'], JSON.stringify({ id: 'x', text: '我们不会联系您的家人' }));
    expect(ok).toMatchObject({ code: 0, lines: [{ id: 'x', findings: [] }] });
    const bad = await clement(['wellbeing'], JSON.stringify({ id: 'x', txt: 'hi' }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/txt/);
    const missing = await clement(['screen', '--jsonl', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: no such file/);
  });
});
