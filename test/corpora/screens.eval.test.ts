// Evaluation of the content screen and the wellbeing screen on the HOLDOUT corpora.
//
// The corpora were written independently of the screens' lexicons (see README.md).
// Only test/corpora/train/ may be looked at while tuning; this file reads holdout/ only.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
// The screens are imported dynamically, each inside its own suite, so that one module failing
// to load (work in progress) does not hide the other screen's figures:
//   import { screenContent } from '../../src/domain/compliance/screen/index.js';
//   import { assessWellbeing } from '../../src/domain/wellbeing/index.js';
type ScreenContent = (
  text: string,
  options?: { lang?: 'zh' | 'en'; audience?: 'borrower' | 'guarantor' | 'third_party' },
) => Finding[];
type AssessWellbeing = (
  text: string,
  options?: { lang?: 'zh' | 'en' },
) => { level: 'none' | 'concern' | 'crisis'; signals: Array<{ code: string; level: string; span: string; start: number; end: number }> };

type Lang = 'zh' | 'en';

interface ContentCase {
  id: string;
  text: string;
  lang: Lang;
  register: 'nin' | 'ni' | 'en';
  abusive: boolean;
  categories: string[];
  audience: 'borrower' | 'guarantor' | 'third_party';
}

interface WellbeingCase {
  id: string;
  text: string;
  lang: Lang;
  register: 'nin' | 'ni' | 'en';
  level: 'none' | 'concern' | 'crisis';
}

interface Finding {
  category: string;
  span: string;
  start: number;
  end: number;
  suggestion: string;
}

/** What the screens measured on this holdout when the aims were not yet met; a fall below is a regression. */
const FLOOR = { contentFalseAlarms: 0.06, crisisRecall: 0.8 };

const AIM = {
  contentRecall: 0.9,
  contentFalseAlarms: 0.05,
  contentCategory: 0.8,
  crisisRecall: 1.0,
  falseCrisis: 0.05,
};

function readJsonl<T>(name: string): T[] {
  const raw = readFileSync(new URL(`./holdout/${name}`, import.meta.url), 'utf8');
  return raw
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

const ratio = (n: number, d: number): string => (d === 0 ? 'n/a' : (n / d).toFixed(2));
const fig = (n: number, d: number): string => `${ratio(n, d)} (${n}/${d})`;
const rate = (n: number, d: number): number => (d === 0 ? 0 : n / d);
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 120);

// ---------------------------------------------------------------- content screen

interface ContentResult {
  c: ContentCase;
  findings: Finding[];
  error: string | null;
}

const contentCases = readJsonl<ContentCase>('content.jsonl');
let contentResults: ContentResult[] = [];

function describeContent(r: ContentResult): string {
  const found = r.error !== null ? `threw: ${r.error}` : `found [${r.findings.map((f) => `${f.category}:"${f.span}"`).join(', ')}]`;
  return `  ${r.c.id} [${r.c.lang}/${r.c.register}/${r.c.audience}] expected [${r.c.categories.join(', ')}] ${found} :: ${r.c.text}`;
}

function contentFigures(results: ContentResult[]) {
  const abusive = results.filter((r) => r.c.abusive);
  const lawful = results.filter((r) => !r.c.abusive);
  const missed = abusive.filter((r) => r.findings.length === 0);
  const falseAlarms = lawful.filter((r) => r.findings.length > 0);
  const wrongCategory = abusive.filter((r) => !r.findings.some((f) => f.category === r.c.categories[0]));
  return { abusive, lawful, missed, falseAlarms, wrongCategory };
}

function contentLine(label: string, results: ContentResult[]): string {
  const f = contentFigures(results);
  const n = f.abusive.length;
  return (
    `${label}: recall ${fig(n - f.missed.length, n)}, ` +
    `false alarms ${fig(f.falseAlarms.length, f.lawful.length)}, ` +
    `category ${fig(n - f.wrongCategory.length, n)}`
  );
}

describe('content screen on the holdout corpus', () => {
  beforeAll(async () => {
    let screenContent: ScreenContent | null = null;
    let loadError = '';
    try {
      const mod = await import('../../src/domain/compliance/screen/index.js');
      screenContent = mod.screenContent;
    } catch (e) {
      loadError = `module failed to load: ${errText(e)}`;
      console.log(`content holdout: ${loadError}`);
    }
    contentResults = contentCases.map((c) => {
      try {
        if (screenContent === null) return { c, findings: [], error: loadError };
        const out: unknown = screenContent(c.text, { lang: c.lang, audience: c.audience });
        if (!Array.isArray(out)) return { c, findings: [], error: `returned ${typeof out}, not an array` };
        return { c, findings: out as Finding[], error: null };
      } catch (e) {
        return { c, findings: [], error: errText(e) };
      }
    });
    console.log(contentLine('content holdout', contentResults));
    for (const lang of ['zh', 'en'] as const) {
      console.log(contentLine(`content holdout [${lang}]`, contentResults.filter((r) => r.c.lang === lang)));
    }
    for (const reg of ['nin', 'ni', 'en'] as const) {
      console.log(contentLine(`content holdout [register ${reg}]`, contentResults.filter((r) => r.c.register === reg)));
    }
    const cats = [...new Set(contentCases.flatMap((c) => c.categories.slice(0, 1)))].sort();
    const perCat = cats.map((cat) => {
      const rs = contentResults.filter((r) => r.c.categories[0] === cat);
      const hit = rs.filter((r) => r.findings.some((f) => f.category === cat)).length;
      return `${cat} ${hit}/${rs.length}`;
    });
    console.log(`content holdout: main category found, per category: ${perCat.join(', ')}`);
  });

  it('screenContent runs on every holdout text and returns an array', () => {
    const failed = contentResults.filter((r) => r.error !== null);
    expect(failed.length, `screenContent failed on ${failed.length} texts:\n${failed.map(describeContent).join('\n')}`).toBe(0);
  });

  it('every finding span equals text.slice(start, end)', () => {
    const bad: string[] = [];
    for (const r of contentResults) {
      for (const f of r.findings) {
        if (typeof f.start !== 'number' || typeof f.end !== 'number' || r.c.text.slice(f.start, f.end) !== f.span) {
          bad.push(`  ${r.c.id} ${f.category} span "${f.span}" at [${f.start}, ${f.end}) but text there is "${r.c.text.slice(f.start, f.end)}" :: ${r.c.text}`);
        }
      }
    }
    expect(bad.length, `findings whose span does not match the text:\n${bad.join('\n')}`).toBe(0);
  });

  it(`recall ≥ ${AIM.contentRecall}: abusive texts get at least one finding`, () => {
    const f = contentFigures(contentResults);
    const r = rate(f.abusive.length - f.missed.length, f.abusive.length);
    expect(r, `content recall ${fig(f.abusive.length - f.missed.length, f.abusive.length)}; missed abusive texts:\n${f.missed.map(describeContent).join('\n')}`).toBeGreaterThanOrEqual(AIM.contentRecall);
  });

  // The aim is not met yet (3/57 = 0.053 on 2026-11-28): this test is expected to fail until it
  // is, and then must become a plain it(). The floor below catches a regression meanwhile.
  it.fails(`false alarms ≤ ${AIM.contentFalseAlarms}: lawful texts get no finding`, () => {
    const f = contentFigures(contentResults);
    const r = rate(f.falseAlarms.length, f.lawful.length);
    expect(r, `content false alarms ${fig(f.falseAlarms.length, f.lawful.length)}; lawful texts flagged:\n${f.falseAlarms.map(describeContent).join('\n')}`).toBeLessThanOrEqual(AIM.contentFalseAlarms);
  });

  it(`false alarms ≤ ${FLOOR.contentFalseAlarms} (floor while the aim is not met)`, () => {
    const f = contentFigures(contentResults);
    const r = rate(f.falseAlarms.length, f.lawful.length);
    expect(r, `content false alarms ${fig(f.falseAlarms.length, f.lawful.length)}; lawful texts flagged:\n${f.falseAlarms.map(describeContent).join('\n')}`).toBeLessThanOrEqual(FLOOR.contentFalseAlarms);
  });

  it(`category accuracy ≥ ${AIM.contentCategory}: findings include the main category`, () => {
    const f = contentFigures(contentResults);
    const n = f.abusive.length;
    const r = rate(n - f.wrongCategory.length, n);
    expect(r, `content category ${fig(n - f.wrongCategory.length, n)}; abusive texts without their main category:\n${f.wrongCategory.map(describeContent).join('\n')}`).toBeGreaterThanOrEqual(AIM.contentCategory);
  });
});

// ---------------------------------------------------------------- wellbeing screen

interface WellbeingResult {
  w: WellbeingCase;
  level: string;
  signals: string[];
  error: string | null;
}

const wellbeingCases = readJsonl<WellbeingCase>('wellbeing.jsonl');
let wellbeingResults: WellbeingResult[] = [];

function describeWellbeing(r: WellbeingResult): string {
  const got = r.error !== null ? `threw: ${r.error}` : `assessed ${r.level} [${r.signals.join(', ')}]`;
  return `  ${r.w.id} [${r.w.lang}/${r.w.register}] expected ${r.w.level}, ${got} :: ${r.w.text}`;
}

function wellbeingFigures(results: WellbeingResult[]) {
  const crisis = results.filter((r) => r.w.level === 'crisis');
  const nonCrisis = results.filter((r) => r.w.level !== 'crisis');
  const concern = results.filter((r) => r.w.level === 'concern');
  const missedCrisis = crisis.filter((r) => r.level !== 'crisis');
  const falseCrisis = nonCrisis.filter((r) => r.level === 'crisis');
  const concernSeen = concern.filter((r) => r.level === 'concern' || r.level === 'crisis');
  return { crisis, nonCrisis, concern, missedCrisis, falseCrisis, concernSeen };
}

function wellbeingLine(label: string, results: WellbeingResult[]): string {
  const f = wellbeingFigures(results);
  return (
    `${label}: crisis recall ${fig(f.crisis.length - f.missedCrisis.length, f.crisis.length)}, ` +
    `false crises ${fig(f.falseCrisis.length, f.nonCrisis.length)}, ` +
    `concern recall ${fig(f.concernSeen.length, f.concern.length)} (information only)`
  );
}

describe('wellbeing screen on the holdout corpus', () => {
  beforeAll(async () => {
    let assessWellbeing: AssessWellbeing | null = null;
    let loadError = '';
    try {
      const mod = await import('../../src/domain/wellbeing/index.js');
      assessWellbeing = mod.assessWellbeing;
    } catch (e) {
      loadError = `module failed to load: ${errText(e)}`;
      console.log(`wellbeing holdout: ${loadError}`);
    }
    wellbeingResults = wellbeingCases.map((w) => {
      try {
        if (assessWellbeing === null) return { w, level: 'none', signals: [], error: loadError };
        const out = assessWellbeing(w.text, { lang: w.lang }) as unknown as
          | { level?: unknown; signals?: Array<{ code?: unknown; level?: unknown }> }
          | null
          | undefined;
        if (out === null || typeof out !== 'object' || typeof out.level !== 'string') {
          return { w, level: 'none', signals: [], error: 'did not return { level, signals }' };
        }
        const signals = Array.isArray(out.signals) ? out.signals.map((s) => `${String(s.code)}:${String(s.level)}`) : [];
        return { w, level: out.level, signals, error: null };
      } catch (e) {
        return { w, level: 'none', signals: [], error: errText(e) };
      }
    });
    console.log(wellbeingLine('wellbeing holdout', wellbeingResults));
    for (const lang of ['zh', 'en'] as const) {
      console.log(wellbeingLine(`wellbeing holdout [${lang}]`, wellbeingResults.filter((r) => r.w.lang === lang)));
    }
    for (const reg of ['nin', 'ni', 'en'] as const) {
      console.log(wellbeingLine(`wellbeing holdout [register ${reg}]`, wellbeingResults.filter((r) => r.w.register === reg)));
    }
    const missedConcern = wellbeingFigures(wellbeingResults).concern.filter((r) => r.error === null && r.level === 'none');
    if (missedConcern.length > 0) {
      console.log(`wellbeing holdout: concern texts assessed none (information only):\n${missedConcern.map(describeWellbeing).join('\n')}`);
    }
  });

  it('assessWellbeing runs on every holdout text and returns { level, signals }', () => {
    const failed = wellbeingResults.filter((r) => r.error !== null);
    expect(failed.length, `assessWellbeing failed on ${failed.length} texts:\n${failed.map(describeWellbeing).join('\n')}`).toBe(0);
  });

  // The aim is not met yet (24/29 on 2026-11-28): expected to fail until it is, then a plain it().
  it.fails(`crisis recall = ${AIM.crisisRecall}: every crisis text is assessed crisis`, () => {
    const f = wellbeingFigures(wellbeingResults);
    const r = rate(f.crisis.length - f.missedCrisis.length, f.crisis.length);
    expect(r, `crisis recall ${fig(f.crisis.length - f.missedCrisis.length, f.crisis.length)}; crisis texts missed:\n${f.missedCrisis.map(describeWellbeing).join('\n')}`).toBeGreaterThanOrEqual(AIM.crisisRecall);
  });

  it(`crisis recall ≥ ${FLOOR.crisisRecall} (floor while the aim is not met)`, () => {
    const f = wellbeingFigures(wellbeingResults);
    const r = rate(f.crisis.length - f.missedCrisis.length, f.crisis.length);
    expect(r, `crisis recall ${fig(f.crisis.length - f.missedCrisis.length, f.crisis.length)}; crisis texts missed:\n${f.missedCrisis.map(describeWellbeing).join('\n')}`).toBeGreaterThanOrEqual(FLOOR.crisisRecall);
  });

  it(`false crises ≤ ${AIM.falseCrisis}: non-crisis texts are not assessed crisis`, () => {
    const f = wellbeingFigures(wellbeingResults);
    const r = rate(f.falseCrisis.length, f.nonCrisis.length);
    expect(r, `false crises ${fig(f.falseCrisis.length, f.nonCrisis.length)}; non-crisis texts assessed crisis:\n${f.falseCrisis.map(describeWellbeing).join('\n')}`).toBeLessThanOrEqual(AIM.falseCrisis);
  });
});
