// The content screen. Interface fixed here; implementation in progress.
export const CONTENT_CATEGORIES = [
  'threat',
  'insult',
  'false_legal',
  'third_party_disclosure',
  'harassment',
  'deception',
] as const;
export type ContentCategory = (typeof CONTENT_CATEGORIES)[number];
export type Lang = 'zh' | 'en';

export interface Finding {
  category: ContentCategory;
  /** The matched text, exactly `text.slice(start, end)`. */
  span: string;
  /** UTF-16 code unit offsets into the original text; `end` exclusive. */
  start: number;
  end: number;
  /** A kinder, lawful wording for the agent or template author. */
  suggestion: string;
}

export interface ScreenOptions {
  /** Anything else, or none, means detect. */
  lang?: Lang;
  /** To a third party any mention of the debt is a disclosure. Default borrower. */
  audience?: 'borrower' | 'guarantor' | 'third_party';
}

export function screenContent(_text: string, _options: ScreenOptions = {}): Finding[] {
  return [];
}
