// Evaluation metrics of `albert train`, as the evaluate / seqeval / SQuAD v1.1 scripts compute them:
// accuracy and macro-F1 (sklearn: F1 per label over the labels seen in truth or prediction, unweighted mean),
// seqeval's entity-level precision / recall / F1 (default, non-strict mode: IOB1/IOB2/IOE/IOBES chunks),
// SQuAD exact match and token F1 after normalize_answer, the best over the gold answers.
// https://github.com/chakki-works/seqeval/blob/master/seqeval/metrics/sequence_labeling.py (get_entities)
// https://github.com/allenai/bi-att-flow/blob/master/squad/evaluate-v1.1.py

export function accuracy(pred: readonly number[], gold: readonly number[]): number {
  let c = 0;
  for (let i = 0; i < gold.length; i++) if (pred[i] === gold[i]) c++;
  return gold.length ? c / gold.length : 0;
}

export function macroF1(pred: readonly number[], gold: readonly number[]): number {
  const labels = [...new Set([...pred, ...gold])];
  let sum = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === l && gold[i] === l) tp++;
      else if (pred[i] === l) fp++;
      else if (gold[i] === l) fn++;
    }
    sum += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  return labels.length ? sum / labels.length : 0;
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prevTag !== 'O' && prevTag !== '.' && prevType !== type;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && tag !== '.' && prevType !== type;
}

/** seqeval get_entities: [type, start, end] chunks (end inclusive) of one tag sequence. */
export function getEntities(seq: readonly string[]): [string, number, number][] {
  const out: [string, number, number][] = [];
  let prevTag = 'O';
  let prevType = '';
  let begin = 0;
  [...seq, 'O'].forEach((chunk, i) => {
    const tag = chunk[0] ?? 'O';
    const type =
      chunk
        .slice(1)
        .split(/-(.*)/s)
        .filter((s) => s !== '')
        .at(-1) ?? '_';
    const t = chunk === 'O' ? '_' : type;
    if (endOfChunk(prevTag, tag, prevType, t)) out.push([prevType, begin, i - 1]);
    if (startOfChunk(prevTag, tag, prevType, t)) begin = i;
    prevTag = tag;
    prevType = t;
  });
  return out;
}

/** Entity-level micro precision / recall / F1 over sentences (seqeval's classification_report "micro avg"). */
export function entityF1(
  pred: readonly string[][],
  gold: readonly string[][],
): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let np = 0;
  let ng = 0;
  pred.forEach((p, s) => {
    const key = (e: [string, number, number]) => e.join('\u0000');
    const g = new Set(getEntities(gold[s]!).map(key));
    const pe = getEntities(p).map(key);
    np += pe.length;
    ng += g.size;
    for (const e of pe) if (g.has(e)) tp++;
  });
  const precision = np ? tp / np : 0;
  const recall = ng ? tp / ng : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** SQuAD normalize_answer: lower case, no punctuation, no articles, single spaces. */
export function normalizeAnswer(s: string): string {
  return s
    .toLowerCase()
    .replace(/[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

function tokenF1(pred: string, gold: string): number {
  const p = normalizeAnswer(pred).split(' ').filter(Boolean);
  const g = normalizeAnswer(gold).split(' ').filter(Boolean);
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (!same) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** SQuAD v1.1 exact_match and f1 (percent), each the max over an example's gold answers. */
export function squadScores(pred: readonly string[], gold: readonly string[][]): { exact_match: number; f1: number } {
  let em = 0;
  let f1 = 0;
  pred.forEach((p, i) => {
    const g = gold[i]!.length ? gold[i]! : [''];
    em += Math.max(...g.map((x) => (normalizeAnswer(p) === normalizeAnswer(x) ? 1 : 0)));
    f1 += Math.max(...g.map((x) => tokenF1(p, x)));
  });
  const n = pred.length || 1;
  return { exact_match: (100 * em) / n, f1: (100 * f1) / n };
}
