// Prints recall, false alarms and category accuracy of the content screen on a labelled corpus.
//   npx tsx src/domain/compliance/screen/evaluate.ts [test/corpora/train/content.jsonl] [--verbose]
// Tune on the train corpus only; the holdout corpus measures the screen honestly later.
import { readFileSync } from 'node:fs';
import { screenContent } from './index.js';
import type { ScreenOptions } from './index.js';

interface Row {
  id: string;
  text: string;
  lang: 'zh' | 'en';
  abusive: boolean;
  categories: string[];
  audience?: ScreenOptions['audience'];
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const file = args.find((a) => !a.startsWith('--')) ?? 'test/corpora/train/content.jsonl';
const rows: Row[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Row);

let abusive = 0;
let found = 0;
let lawful = 0;
let falseAlarms = 0;
let categoryAny = 0;
let categoryExact = 0;
const byLang: Record<string, { abusive: number; found: number; lawful: number; alarms: number }> = {};
for (const row of rows) {
  const findings = screenContent(row.text, { lang: row.lang, audience: row.audience });
  const predicted = new Set(findings.map((f) => f.category));
  const s = (byLang[row.lang] ??= { abusive: 0, found: 0, lawful: 0, alarms: 0 });
  if (row.abusive) {
    abusive++;
    s.abusive++;
    if (findings.length > 0) {
      found++;
      s.found++;
    }
    const any = row.categories.some((c) => predicted.has(c as never));
    const exact = any && row.categories.length === predicted.size && row.categories.every((c) => predicted.has(c as never));
    if (any) categoryAny++;
    if (exact) categoryExact++;
    if (verbose && (!any || !exact)) {
      console.log(`${findings.length ? 'WRONG' : 'MISS '} ${row.id} [${row.categories.join(',')}] → [${[...predicted].join(',')}] ${row.audience ?? ''}\n      ${row.text}`);
      for (const f of findings) console.log(`        ${f.category}: ${f.span}`);
    }
  } else {
    lawful++;
    s.lawful++;
    if (findings.length > 0) {
      falseAlarms++;
      s.alarms++;
      if (verbose) {
        console.log(`FALSE ${row.id} ${row.audience ?? ''}\n      ${row.text}`);
        for (const f of findings) console.log(`        ${f.category}: ${f.span}`);
      }
    }
  }
}
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
console.log(`${file}: ${rows.length} texts`);
console.log(`recall (abusive found):        ${pct(found, abusive)} (${found}/${abusive})`);
console.log(`false alarms (lawful flagged): ${pct(falseAlarms, lawful)} (${falseAlarms}/${lawful})`);
console.log(`category right (any label):    ${pct(categoryAny, abusive)} (${categoryAny}/${abusive})`);
console.log(`category exact set:            ${pct(categoryExact, abusive)} (${categoryExact}/${abusive})`);
for (const [lang, s] of Object.entries(byLang)) {
  console.log(`  ${lang}: recall ${pct(s.found, s.abusive)}, false alarms ${pct(s.alarms, s.lawful)}`);
}
