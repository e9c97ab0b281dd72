/** The seven model classes of transformers' modeling_albert.py. */
export const HEAD_NAMES = [
  'AlbertModel',
  'AlbertForPreTraining',
  'AlbertForMaskedLM',
  'AlbertForSequenceClassification',
  'AlbertForMultipleChoice',
  'AlbertForTokenClassification',
  'AlbertForQuestionAnswering',
] as const;

export type HeadName = (typeof HEAD_NAMES)[number];

export function isHeadName(s: string): s is HeadName {
  return (HEAD_NAMES as readonly string[]).includes(s);
}
