// Crisis recall and false-crisis rate on the labelled TRAINING corpus.
//   npx tsx src/domain/wellbeing/eval-train.ts [path] [--errors]
// Tune on test/corpora/train/ only; the holdout corpus is for the final, blind measurement.
import { readFileSync } from 'node:fs';
import { assessWellbeing, type WellbeingLevel } from './index.js';

interface Row {
  id: string;
  text: string;
  lang: 'zh' | 'en';
  level: WellbeingLevel;
}

const args = process.argv.slice(2);
const showErrors = args.includes('--errors');
const path = args.find((a) => !a.startsWith('--')) ?? 'test/corpora/train/wellbeing.jsonl';
if (path.includes('holdout')) throw new Error('eval-train reads training data only');

const rows: Row[] = readFileSync(path, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);

const LEVELS: WellbeingLevel[] = ['none', 'concern', 'crisis'];
const confusion = new Map<string, number>();
const errors: string[] = [];
for (const r of rows) {
  const got = assessWellbeing(r.text, { lang: r.lang });
  const key = `${r.level}>${got.level}`;
  confusion.set(key, (confusion.get(key) ?? 0) + 1);
  if (got.level !== r.level) {
    const why = got.signals.map((s) => `${s.code}:${s.level}:${s.span}`).join(' | ');
    errors.push(`${r.id} [${r.lang}] want ${r.level} got ${got.level}  ${r.text}  {${why}}`);
  }
}

const count = (want: WellbeingLevel | null, got: WellbeingLevel | null) =>
  rows.filter((r) => want === null || r.level === want).length === 0
    ? 0
    : [...confusion].filter(([k]) => {
        const [w, g] = k.split('>');
        return (want === null || w === want) && (got === null || g === got);
      }).reduce((a, [, n]) => a + n, 0);

const crisis = count('crisis', null);
const nonCrisis = rows.length - crisis;
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
console.log(`texts ${rows.length} (crisis ${crisis}, not crisis ${nonCrisis})`);
console.log(`crisis recall      ${pct(count('crisis', 'crisis'), crisis)}  (${count('crisis', 'crisis')}/${crisis})`);
const falseCrisis = count('none', 'crisis') + count('concern', 'crisis');
console.log(`false-crisis rate  ${pct(falseCrisis, nonCrisis)}  (${falseCrisis}/${nonCrisis} non-crisis texts called crisis)`);
console.log(`exact level match  ${pct(rows.length - errors.length, rows.length)}`);
console.log('\nwant \\ got   ' + LEVELS.map((l) => l.padStart(8)).join(''));
for (const w of LEVELS) console.log(w.padEnd(12) + ' ' + LEVELS.map((g) => String(count(w, g)).padStart(8)).join(''));
for (const lang of ['zh', 'en'] as const) {
  const sub = rows.filter((r) => r.lang === lang);
  const c = sub.filter((r) => r.level === 'crisis');
  const hit = c.filter((r) => assessWellbeing(r.text).level === 'crisis').length;
  const fc = sub.filter((r) => r.level !== 'crisis' && assessWellbeing(r.text).level === 'crisis').length;
  console.log(`${lang}: recall ${pct(hit, c.length)}, false crisis ${pct(fc, sub.length - c.length)}`);
}
if (showErrors) console.log('\n' + errors.join('\n'));
