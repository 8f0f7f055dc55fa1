// Dependencies point inward (STYLE.md): the domain imports nothing outside itself but a few pure
// libraries; only the database layer imports Drizzle or the drivers; the CLI and the API reach the
// database through services. Checked on the import statements of every source file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    // Tuning scripts beside the screens are tools, not part of the product.
    const tool = ['evaluate.ts', 'eval-train.ts', 'bench.ts'].includes(name);
    return /\.(ts|mjs)$/.test(name) && !name.endsWith('.test.ts') && !tool ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

/** Where an import lands: a path under src/, or the bare package name. */
function target(file: string, spec: string): string {
  if (spec.startsWith('.')) return relative(SRC, resolve(dirname(file), spec));
  return spec;
}

const all = files(SRC).map((f) => ({ file: relative(SRC, f), targets: imports(f).map((s) => target(f, s)) }));

describe('dependency rules', () => {
  it('the domain imports only the domain and pure libraries', () => {
    // node:fs is allowed only to read the lexicons shipped beside the screens, once at import.
    const pure = new Set(['luxon', 'node:crypto', 'js-yaml', 'opencc-js', 'node:fs', 'node:url']);
    const bad = all
      .filter((f) => f.file.startsWith('domain/'))
      .flatMap((f) => f.targets.filter((t) => !(t.startsWith('domain/') || pure.has(t))).map((t) => `${f.file} → ${t}`));
    expect(bad).toEqual([]);
    const fsUsers = all.filter((f) => f.file.startsWith('domain/') && f.targets.includes('node:fs')).map((f) => f.file);
    // Only the screens read their data files (lexicons, model weights), once, at import.
    expect(fsUsers.sort()).toEqual([
      'domain/compliance/screen/index.ts',
      'domain/compliance/screen/model/index.ts',
      'domain/wellbeing/lexicon.ts',
      'domain/wellbeing/model/index.ts',
    ]);
  });

  it('only the database layer imports Drizzle, pg or PGlite', () => {
    const bad = all
      .filter((f) => !f.file.startsWith('db/'))
      .flatMap((f) => f.targets.filter((t) => /^(drizzle-orm|pg|@electric-sql\/pglite)(\/|$)/.test(t)).map((t) => `${f.file} → ${t}`));
    expect(bad).toEqual([]);
  });

  it('the CLI and the API reach repositories only through services', () => {
    const bad = all
      .filter((f) => f.file.startsWith('cli/') || f.file.startsWith('api/'))
      .flatMap((f) => f.targets.filter((t) => t.startsWith('db/repositories')).map((t) => `${f.file} → ${t}`));
    expect(bad).toEqual([]);
  });

  it('nothing but the configuration reads process.env', () => {
    const readers = files(SRC)
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(readers).toEqual(['config/config.ts']);
  });
});
