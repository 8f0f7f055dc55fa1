import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../domain/compliance/index.js';
import { PolicyFileError, loadPolicyFile, resolvePolicy } from './policy-file.js';

const dir = mkdtempSync(join(tmpdir(), 'clement-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function refusal(path: string): PolicyFileError {
  try {
    loadPolicyFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyFileError);
    return err as PolicyFileError;
  }
  throw new Error('expected the policy file to be refused');
}

describe('loadPolicyFile', () => {
  it('reads a YAML narrowing', () => {
    const p = loadPolicyFile(
      file(
        'lender.yaml',
        ['preset: cn', 'hours:', '  from: "09:00"', '  to: 21:00', 'limits:', '  dailyConversations: 2', '  channelDaily:', '    sms: 2', ''].join('\n'),
      ),
    );
    expect(p.preset).toBe('cn');
    expect(p.hours).toEqual({ from: '09:00', to: '21:00', toInclusive: false });
    expect(p.limits).toMatchObject({ dailyConversations: 2, dailyAttemptsPerNumber: 6, channelDaily: { sms: 2 } });
    expect(p.version).toMatch(/^cn@[0-9a-f]{16}$/);
    expect(p.version).not.toBe(PRESETS.cn.version);
  });

  it('reads a JSON narrowing, and the same content gives the same version whatever the key order or format', () => {
    const json = loadPolicyFile(file('lender.json', JSON.stringify({ limits: { channelDaily: { sms: 2 }, dailyConversations: 2 }, hours: { to: '21:00', from: '09:00' }, preset: 'cn' })));
    const yaml = loadPolicyFile(file('same.yml', 'preset: cn\nhours: { from: "09:00", to: "21:00" }\nlimits: { dailyConversations: 2, channelDaily: { sms: 2 } }\n'));
    expect(json.version).toBe(yaml.version);
  });

  it.each([
    ['wider-hours.yaml', 'preset: cn\nhours:\n  from: "07:00"\n', 'hours.from'],
    ['later-hours.json', '{"preset":"us","hours":{"to":"21:30"}}', 'hours.to'],
    ['more-calls.yaml', 'preset: cn\nlimits:\n  dailyAttemptsPerNumber: 10\n', 'limits.dailyAttemptsPerNumber'],
    ['unknown.yaml', 'preset: uk\nweekendCalls: true\n', 'weekendCalls'],
    ['no-preset.yaml', 'hours:\n  from: "09:00"\n', 'preset'],
    ['bad-preset.yaml', 'preset: fr\n', 'preset'],
    ['list.yaml', '- preset: cn\n', '(root)'],
    ['broken.json', '{"preset": "cn",', '(file)'],
  ])('refuses %s naming %s', (name, text, fieldName) => {
    const err = refusal(file(name, text));
    expect(err.field).toBe(fieldName);
    expect(err.message).toContain(fieldName === '(root)' || fieldName === '(file)' ? name : fieldName);
    expect(err.code).toBe('POLICY.INVALID');
  });

  it('refuses a missing file', () => {
    expect(refusal(join(dir, 'missing.yaml')).field).toBe('(file)');
  });
});

describe('resolvePolicy (CLEMENT_POLICY)', () => {
  it('returns a bare preset', () => {
    expect(resolvePolicy('us')).toBe(PRESETS.us);
    expect(resolvePolicy(' uk ')).toBe(PRESETS.uk);
  });
  it('loads a path', () => {
    expect(resolvePolicy(file('p.yaml', 'preset: uk\nhours: { from: "09:00" }\n')).hours.from).toBe('09:00');
  });
  it('refuses an empty value', () => {
    expect(() => resolvePolicy('')).toThrow(PolicyFileError);
  });
});
