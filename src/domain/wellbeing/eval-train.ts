// Crisis recall and false-crisis rate on the labelled TRAINING corpora.
//   npx tsx src/domain/wellbeing/eval-train.ts [path[#tune|#check]]... [--errors] [--speed] [--rules-only]
// With no path, test/corpora/train/wellbeing.jsonl. Several paths are pooled.
// A `#tune` / `#check` suffix keeps a fixed, seeded, per-level 60 % / 40 % slice of that file:
// tune rules on `#tune`, measure generalization on `#check` (never read its errors to tune).
// Tune on test/corpora/train/ only; the holdout corpus is for the final, blind measurement.
import { readFileSync } from 'node:fs';
import { assessWellbeingWith, type WellbeingEngine, type WellbeingLevel } from './index.js';
import { wellbeingModel } from './model/index.js';
import { mulberry32, shuffled } from '../random.js';

interface Row {
  id: string;
  text: string;
  lang: 'zh' | 'en';
  level: WellbeingLevel;
}

const SPLIT_SEED = 20260401;
const TUNE_SHARE = 0.6;


/** The same rows, in file order, of one side of a seeded split stratified by level. */
function slice(rows: Row[], part: 'tune' | 'check'): Row[] {
  const rand = mulberry32(SPLIT_SEED);
  const tune = new Set<string>();
  for (const level of ['none', 'concern', 'crisis'] as const) {
    const ids = shuffled(
      rows.filter((r) => r.level === level).map((r) => r.id),
      rand,
    );
    ids.slice(0, Math.round(ids.length * TUNE_SHARE)).forEach((id) => tune.add(id));
  }
  return rows.filter((r) => tune.has(r.id) === (part === 'tune'));
}

function readRows(spec: string): Row[] {
  const [path, part] = spec.split('#');
  if (path.includes('holdout')) throw new Error('eval-train reads training data only');
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
  if (part === undefined) return rows;
  if (part !== 'tune' && part !== 'check') throw new Error(`unknown slice #${part}`);
  return slice(rows, part);
}

const args = process.argv.slice(2);
const showErrors = args.includes('--errors');
const showSpeed = args.includes('--speed');
const specs = args.filter((a) => !a.startsWith('--'));
// --rules-only: the lexicons without the statistical model, for tuning the rules.
const engine: WellbeingEngine = { rules: true, model: args.includes('--rules-only') ? null : wellbeingModel };
const assessWellbeing = (text: string, options: { lang?: 'zh' | 'en' } = {}) => assessWellbeingWith(text, options, engine);
const rows: Row[] = (specs.length > 0 ? specs : ['test/corpora/train/wellbeing.jsonl']).flatMap(readRows);

const LEVELS: WellbeingLevel[] = ['none', 'concern', 'crisis'];
const got = new Map<string, WellbeingLevel>();
const confusion = new Map<string, number>();
const errors: string[] = [];
for (const r of rows) {
  const res = assessWellbeing(r.text, { lang: r.lang });
  got.set(r.id, res.level);
  const key = `${r.level}>${res.level}`;
  confusion.set(key, (confusion.get(key) ?? 0) + 1);
  if (res.level !== r.level) {
    const why = res.signals.map((s) => `${s.code}:${s.level}:${s.span}`).join(' | ');
    errors.push(`${r.id} [${r.lang}] want ${r.level} got ${res.level}  ${r.text}  {${why}}`);
  }
}

const count = (want: WellbeingLevel | null, g: WellbeingLevel | null) =>
  [...confusion]
    .filter(([k]) => {
      const [w, gg] = k.split('>');
      return (want === null || w === want) && (g === null || gg === g);
    })
    .reduce((a, [, n]) => a + n, 0);

const crisis = count('crisis', null);
const concern = count('concern', null);
const nonCrisis = rows.length - crisis;
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
console.log(`texts ${rows.length} (crisis ${crisis}, concern ${concern}, none ${count('none', null)})  from ${specs.join(' + ') || 'default'}`);
console.log(`crisis recall      ${pct(count('crisis', 'crisis'), crisis)}  (${count('crisis', 'crisis')}/${crisis})`);
const falseCrisis = count('none', 'crisis') + count('concern', 'crisis');
console.log(`false-crisis rate  ${pct(falseCrisis, nonCrisis)}  (${falseCrisis}/${nonCrisis} non-crisis texts called crisis; none→crisis ${count('none', 'crisis')})`);
const concernHit = count('concern', 'concern') + count('concern', 'crisis');
console.log(`concern recall     ${pct(concernHit, concern)}  (${concernHit}/${concern} concern texts called concern or crisis)`);
console.log(`exact level match  ${pct(rows.length - errors.length, rows.length)}`);
console.log('\nwant \\ got   ' + LEVELS.map((l) => l.padStart(8)).join(''));
for (const w of LEVELS) console.log(w.padEnd(12) + ' ' + LEVELS.map((g) => String(count(w, g)).padStart(8)).join(''));
for (const lang of ['zh', 'en'] as const) {
  const sub = rows.filter((r) => r.lang === lang);
  const c = sub.filter((r) => r.level === 'crisis');
  const hit = c.filter((r) => got.get(r.id) === 'crisis').length;
  const fc = sub.filter((r) => r.level !== 'crisis' && got.get(r.id) === 'crisis').length;
  console.log(`${lang}: recall ${pct(hit, c.length)}, false crisis ${pct(fc, sub.length - c.length)}`);
}
if (showSpeed) {
  const texts = rows.map((r) => r.text);
  for (let i = 0; i < 2; i++) for (const t of texts) assessWellbeing(t); // warm up
  // CPU time as well as wall time: on a busy shared machine the wall-clock figure understates.
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < 2000) for (const t of texts) (assessWellbeing(t), n++);
  const cpu = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  console.log(`speed              ${Math.round(n / wall)} texts/s wall, ${Math.round(n / ((cpu.user + cpu.system) / 1e6))} texts/s CPU`);
}
if (showErrors) console.log('\n' + errors.join('\n'));
