// The six categories of the content screen (COMPLIANCE.md), in the order the lexicons, the model's
// weights and every report list them.
export const CONTENT_CATEGORIES = [
  'threat',
  'insult',
  'false_legal',
  'third_party_disclosure',
  'harassment',
  'deception',
] as const;
export type ContentCategory = (typeof CONTENT_CATEGORIES)[number];
