import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anchorsOf } from './anchors.js';
import { screenContentWith } from './index.js';
import { contentModel } from './model/index.js';

describe('anchorsOf', () => {
  it('takes a required literal run, the rarest one', () => {
    expect(anchorsOf(['(face|suffer) the consequences'], {})).toEqual(['the consequences']);
    expect(anchorsOf(['你这个老赖'], {})).toEqual(['你这个老赖']);
  });

  it('takes a required group as a set, through lists', () => {
    // "for you" is common words only: the group is rarer.
    expect(anchorsOf(['(jail|prison) for you'], {})?.sort()).toEqual(['jail', 'prison']);
    expect(anchorsOf(['we will {act} you'], { act: ['sue', 'arrest'] })?.sort()).toEqual(['arrest', 'sue']);
  });

  it('never takes an optional, repeated or unknown part', () => {
    expect(anchorsOf(['(very )?(angry|upset)'], {})?.sort()).toEqual(['angry', 'upset']);
    expect(anchorsOf(['bosses?'], {})).toEqual(['bosse']);
    expect(anchorsOf(['[a4]rrest'], {})).toEqual(['rrest']);
    expect(anchorsOf(['(?!no )pay'], {})).toEqual(['pay']);
  });

  it('gives none when one pattern or one alternative has no literal', () => {
    expect(anchorsOf(['jail', '\\w+ [0-9]+'], {})).toBeNull();
    expect(anchorsOf(['(jail|)'], {})).toBeNull();
    expect(anchorsOf(['jail|[0-9]+'], {})).toBeNull();
  });
});

describe('the screen with anchors', () => {
  it('finds exactly what it finds without them, on the content and newest wellbeing training texts', () => {
    const dir = new URL('../../../../test/corpora/train/', import.meta.url);
    const rows = readdirSync(dir)
      .filter((f) => f.startsWith('content') || f === 'wellbeing-5.jsonl')
      .flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'))
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { text: string; audience?: 'borrower' | 'guarantor' | 'third_party' });
    expect(rows.length).toBeGreaterThan(3000);
    let differ = 0;
    for (const r of rows) {
      const options = { audience: r.audience ?? 'borrower' };
      const a = screenContentWith(r.text, options, { rules: true, model: contentModel });
      const b = screenContentWith(r.text, options, { rules: true, model: contentModel, anchors: false });
      if (JSON.stringify(a) !== JSON.stringify(b)) differ++;
    }
    expect(differ).toBe(0);
  }, 120_000);
});
