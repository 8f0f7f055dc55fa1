// Evaluation of the content screen and the wellbeing screen on the HOLDOUT corpora.
//
// The corpora were written independently of the screens' lexicons (see README.md).
// Only test/corpora/train/ may be looked at while tuning; this file reads the holdout
// directories only.
import { existsSync, readFileSync } from 'node:fs';
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

/**
 * Six holdouts, each written by helpers who never saw the lexicons (README.md): `holdout/` (the
 * first round, 30% of it), `holdout-2/` (30% of the third round), `holdout-3/` and `holdout-4/`
 * (30% of the fourth and fifth rounds, wellbeing only, with contrastive pairs), `holdout-5/`
 * (30% of the sixth round, both screens) and `holdout-6/` (30% of the seventh, wellbeing in the
 * Englishes of two regions).
 */
const HOLDOUTS = ['holdout', 'holdout-2', 'holdout-3', 'holdout-4', 'holdout-5', 'holdout-6'] as const;
type HoldoutDir = (typeof HOLDOUTS)[number];
type AimName = 'contentRecall' | 'contentFalseAlarms' | 'contentCategory' | 'crisisRecall' | 'falseCrisis';

/**
 * Aims not met yet on a holdout, with the figure measured: their tests are expected to fail
 * (it.fails) until they are met, and must then become plain tests again (remove the entry).
 */
const UNMET: Record<HoldoutDir, Partial<Record<AimName, string>>> = {
  holdout: { crisisRecall: '27/29 on 2026-11-29' },
  'holdout-2': { crisisRecall: '251/307 on 2026-11-29' },
  'holdout-3': { crisisRecall: '169/252 on 2026-11-29', falseCrisis: '25/283 on 2026-11-29' },
  'holdout-4': { crisisRecall: '233/330 on 2026-11-29', falseCrisis: '38/420 on 2026-11-29' },
  'holdout-5': { crisisRecall: '114/138 on 2026-11-29' },
  'holdout-6': { crisisRecall: '72/96 on 2026-11-29' },
};

/** What the screens measured on each holdout while the aims were not met; a fall below is a regression. */
const FLOOR: Record<HoldoutDir, { contentFalseAlarms: number; crisisRecall: number; falseCrisis: number }> = {
  holdout: { contentFalseAlarms: 0.05, crisisRecall: 0.85, falseCrisis: 0.05 },
  'holdout-2': { contentFalseAlarms: 0.05, crisisRecall: 0.75, falseCrisis: 0.05 },
  'holdout-3': { contentFalseAlarms: 0.05, crisisRecall: 0.65, falseCrisis: 0.1 },
  'holdout-4': { contentFalseAlarms: 0.05, crisisRecall: 0.65, falseCrisis: 0.1 },
  'holdout-5': { contentFalseAlarms: 0.05, crisisRecall: 0.75, falseCrisis: 0.05 },
  'holdout-6': { contentFalseAlarms: 0.05, crisisRecall: 0.7, falseCrisis: 0.05 },
};

const aimTest = (dir: HoldoutDir, aim: AimName) => (UNMET[dir][aim] === undefined ? it : it.fails);

const AIM = {
  contentRecall: 0.9,
  contentFalseAlarms: 0.05,
  contentCategory: 0.8,
  crisisRecall: 1.0,
  falseCrisis: 0.05,
};

function readJsonl<T>(dir: string, name: string): T[] {
  const raw = readFileSync(new URL(`./${dir}/${name}`, import.meta.url), 'utf8');
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

function contentSuite(dir: HoldoutDir): void {
describe(`content screen on ${dir}`, () => {
  const contentCases = readJsonl<ContentCase>(dir, 'content.jsonl');
  let contentResults: ContentResult[] = [];
  beforeAll(async () => {
    let screenContent: ScreenContent | null = null;
    let loadError = '';
    try {
      const mod = await import('../../src/domain/compliance/screen/index.js');
      screenContent = mod.screenContent;
    } catch (e) {
      loadError = `module failed to load: ${errText(e)}`;
      console.log(`content ${dir}: ${loadError}`);
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
    console.log(contentLine(`content ${dir}`, contentResults));
    for (const lang of ['zh', 'en'] as const) {
      console.log(contentLine(`content ${dir} [${lang}]`, contentResults.filter((r) => r.c.lang === lang)));
    }
    for (const reg of ['nin', 'ni', 'en'] as const) {
      console.log(contentLine(`content ${dir} [register ${reg}]`, contentResults.filter((r) => r.c.register === reg)));
    }
    const cats = [...new Set(contentCases.flatMap((c) => c.categories.slice(0, 1)))].sort();
    const perCat = cats.map((cat) => {
      const rs = contentResults.filter((r) => r.c.categories[0] === cat);
      const hit = rs.filter((r) => r.findings.some((f) => f.category === cat)).length;
      return `${cat} ${hit}/${rs.length}`;
    });
    console.log(`content ${dir}: main category found, per category: ${perCat.join(', ')}`);
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

  aimTest(dir, 'contentRecall')(`recall ≥ ${AIM.contentRecall}: abusive texts get at least one finding`, () => {
    const f = contentFigures(contentResults);
    const r = rate(f.abusive.length - f.missed.length, f.abusive.length);
    expect(r, `content recall ${fig(f.abusive.length - f.missed.length, f.abusive.length)}; missed abusive texts:\n${f.missed.map(describeContent).join('\n')}`).toBeGreaterThanOrEqual(AIM.contentRecall);
  });

  aimTest(dir, 'contentFalseAlarms')(`false alarms ≤ ${AIM.contentFalseAlarms}: lawful texts get no finding`, () => {
    const f = contentFigures(contentResults);
    const r = rate(f.falseAlarms.length, f.lawful.length);
    expect(r, `content false alarms ${fig(f.falseAlarms.length, f.lawful.length)}; lawful texts flagged:\n${f.falseAlarms.map(describeContent).join('\n')}`).toBeLessThanOrEqual(AIM.contentFalseAlarms);
  });

  it(`false alarms ≤ ${FLOOR[dir].contentFalseAlarms} (floor while the aim is not met)`, () => {
    const f = contentFigures(contentResults);
    const r = rate(f.falseAlarms.length, f.lawful.length);
    expect(r, `content false alarms ${fig(f.falseAlarms.length, f.lawful.length)}; lawful texts flagged:\n${f.falseAlarms.map(describeContent).join('\n')}`).toBeLessThanOrEqual(FLOOR[dir].contentFalseAlarms);
  });

  aimTest(dir, 'contentCategory')(`category accuracy ≥ ${AIM.contentCategory}: findings include the main category`, () => {
    const f = contentFigures(contentResults);
    const n = f.abusive.length;
    const r = rate(n - f.wrongCategory.length, n);
    expect(r, `content category ${fig(n - f.wrongCategory.length, n)}; abusive texts without their main category:\n${f.wrongCategory.map(describeContent).join('\n')}`).toBeGreaterThanOrEqual(AIM.contentCategory);
  });
});
}

// ---------------------------------------------------------------- wellbeing screen

interface WellbeingResult {
  w: WellbeingCase;
  level: string;
  signals: string[];
  error: string | null;
}

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

function wellbeingSuite(dir: HoldoutDir): void {
describe(`wellbeing screen on ${dir}`, () => {
  const wellbeingCases = readJsonl<WellbeingCase>(dir, 'wellbeing.jsonl');
  let wellbeingResults: WellbeingResult[] = [];
  beforeAll(async () => {
    let assessWellbeing: AssessWellbeing | null = null;
    let loadError = '';
    try {
      const mod = await import('../../src/domain/wellbeing/index.js');
      assessWellbeing = mod.assessWellbeing;
    } catch (e) {
      loadError = `module failed to load: ${errText(e)}`;
      console.log(`wellbeing ${dir}: ${loadError}`);
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
    console.log(wellbeingLine(`wellbeing ${dir}`, wellbeingResults));
    for (const lang of ['zh', 'en'] as const) {
      console.log(wellbeingLine(`wellbeing ${dir} [${lang}]`, wellbeingResults.filter((r) => r.w.lang === lang)));
    }
    for (const reg of ['nin', 'ni', 'en'] as const) {
      console.log(wellbeingLine(`wellbeing ${dir} [register ${reg}]`, wellbeingResults.filter((r) => r.w.register === reg)));
    }
    const missedConcern = wellbeingFigures(wellbeingResults).concern.filter((r) => r.error === null && r.level === 'none');
    if (missedConcern.length > 0) {
      console.log(`wellbeing ${dir}: concern texts assessed none (information only):\n${missedConcern.map(describeWellbeing).join('\n')}`);
    }
  });

  it('assessWellbeing runs on every holdout text and returns { level, signals }', () => {
    const failed = wellbeingResults.filter((r) => r.error !== null);
    expect(failed.length, `assessWellbeing failed on ${failed.length} texts:\n${failed.map(describeWellbeing).join('\n')}`).toBe(0);
  });

  aimTest(dir, 'crisisRecall')(`crisis recall = ${AIM.crisisRecall}: every crisis text is assessed crisis`, () => {
    const f = wellbeingFigures(wellbeingResults);
    const r = rate(f.crisis.length - f.missedCrisis.length, f.crisis.length);
    expect(r, `crisis recall ${fig(f.crisis.length - f.missedCrisis.length, f.crisis.length)}; crisis texts missed:\n${f.missedCrisis.map(describeWellbeing).join('\n')}`).toBeGreaterThanOrEqual(AIM.crisisRecall);
  });

  it(`crisis recall ≥ ${FLOOR[dir].crisisRecall} (floor while the aim is not met)`, () => {
    const f = wellbeingFigures(wellbeingResults);
    const r = rate(f.crisis.length - f.missedCrisis.length, f.crisis.length);
    expect(r, `crisis recall ${fig(f.crisis.length - f.missedCrisis.length, f.crisis.length)}; crisis texts missed:\n${f.missedCrisis.map(describeWellbeing).join('\n')}`).toBeGreaterThanOrEqual(FLOOR[dir].crisisRecall);
  });

  aimTest(dir, 'falseCrisis')(`false crises ≤ ${AIM.falseCrisis}: non-crisis texts are not assessed crisis`, () => {
    const f = wellbeingFigures(wellbeingResults);
    const r = rate(f.falseCrisis.length, f.nonCrisis.length);
    expect(r, `false crises ${fig(f.falseCrisis.length, f.nonCrisis.length)}; non-crisis texts assessed crisis:\n${f.falseCrisis.map(describeWellbeing).join('\n')}`).toBeLessThanOrEqual(AIM.falseCrisis);
  });

  it(`false crises ≤ ${FLOOR[dir].falseCrisis} (ceiling while the aim is not met)`, () => {
    const f = wellbeingFigures(wellbeingResults);
    const r = rate(f.falseCrisis.length, f.nonCrisis.length);
    expect(r, `false crises ${fig(f.falseCrisis.length, f.nonCrisis.length)}`).toBeLessThanOrEqual(FLOOR[dir].falseCrisis);
  });
});
}

for (const dir of HOLDOUTS) {
  if (existsSync(new URL(`./${dir}/content.jsonl`, import.meta.url))) contentSuite(dir);
  wellbeingSuite(dir);
}
