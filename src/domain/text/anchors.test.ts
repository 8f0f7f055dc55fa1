import { describe, expect, it } from 'vitest';
import { anchorsOf } from './anchors.js';

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
