// Token-classification post-processing: per-token softmax, word aggregation (first / average / max),
// B-/I- entity grouping, ignore_labels. Port of TokenClassificationPipeline.postprocess and helpers:
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/token_classification.py
import { InputError } from '@albertjs/core';
import { argmax, softmax } from '../math.js';

export type AggregationStrategy = 'none' | 'simple' | 'first' | 'average' | 'max';
export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = ['none', 'simple', 'first', 'average', 'max'];

/** aggregation_strategy "none": one entry per token. */
export interface TokenEntity {
  entity: string;
  score: number;
  index: number;
  word: string;
  start: number;
  end: number;
}
/** Any other strategy: grouped entities. */
export interface GroupedEntity {
  entity_group: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

interface PreEntity {
  word: string;
  scores: Float64Array;
  start: number;
  end: number;
  index: number;
  is_subword: boolean;
}
interface WordEntity {
  entity: string;
  score: number;
  word: string;
  start: number;
  end: number;
  index?: number;
}

export interface TokenClassificationPostprocessArgs {
  /** The original text; offsets index into it. */
  sentence: string;
  /** Logits of one sequence, [S, num_labels] row-major. */
  logits: Float32Array;
  inputIds: readonly number[];
  /** [start, end) character offsets of every token into `sentence`. */
  offsets: readonly (readonly [number, number])[];
  specialTokensMask: readonly number[];
  id2label: Record<string, string>;
  aggregationStrategy?: AggregationStrategy;
  /** Labels dropped from the result; default ['O']. */
  ignoreLabels?: readonly string[];
  unkTokenId: number;
  convertIdsToTokens: (ids: number[]) => string[];
  convertTokensToString: (tokens: string[]) => string;
}

export function tokenClassificationPostprocess(a: TokenClassificationPostprocessArgs): TokenEntity[] | GroupedEntity[] {
  const strategy = a.aggregationStrategy ?? 'none';
  if (!AGGREGATION_STRATEGIES.includes(strategy)) {
    throw new InputError(
      `aggregationStrategy must be one of ${AGGREGATION_STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`,
    );
  }
  const S = a.inputIds.length;
  const L = Object.keys(a.id2label).length;
  if (a.logits.length !== S * L)
    throw new InputError(
      `token-classification logits have ${a.logits.length} values, expected [S=${S}, labels=${L}] = ${S * L}`,
    );
  if (a.offsets.length !== S || a.specialTokensMask.length !== S) {
    throw new InputError(
      `token-classification needs one offset and one special-token flag per token: ${S} ids, ${a.offsets.length} offsets, ${a.specialTokensMask.length} flags`,
    );
  }
  const label = (i: number) => a.id2label[String(i)] ?? `LABEL_${i}`;
  const ignore = a.ignoreLabels ?? ['O'];

  // gather_pre_entities. ALBERT's Unigram model has no continuing_subword_prefix, so HF's
  // fallback heuristic decides sub-words: a token is a sub-word unless a space precedes or starts it.
  const pre: PreEntity[] = [];
  for (let idx = 0; idx < S; idx++) {
    if (a.specialTokensMask[idx]) continue;
    const [start, end] = a.offsets[idx]!;
    let word = a.convertIdsToTokens([a.inputIds[idx]!])[0]!;
    let isSubword = start > 0 && !a.sentence.slice(start - 1, start + 1).includes(' ');
    if (a.inputIds[idx] === a.unkTokenId) {
      word = a.sentence.slice(start, end);
      isSubword = false;
    }
    pre.push({ word, scores: softmax(a.logits, idx * L, L), start, end, index: idx, is_subword: isSubword });
  }

  // aggregate
  let entities: WordEntity[];
  if (strategy === 'none' || strategy === 'simple') {
    entities = pre.map((p) => {
      const i = argmax(p.scores);
      return { entity: label(i), score: p.scores[i]!, index: p.index, word: p.word, start: p.start, end: p.end };
    });
  } else {
    entities = aggregateWords(pre, strategy, label, a.convertTokensToString);
  }
  if (strategy === 'none') {
    return (entities as TokenEntity[]).filter((e) => !ignore.includes(e.entity));
  }
  return groupEntities(entities, a.convertTokensToString).filter((e) => !ignore.includes(e.entity_group));
}

// aggregate_word
function aggregateWord(
  group: PreEntity[],
  strategy: 'first' | 'average' | 'max',
  label: (i: number) => string,
  tokensToString: (t: string[]) => string,
): WordEntity {
  const word = tokensToString(group.map((e) => e.word));
  let scores: Float64Array;
  if (strategy === 'first') scores = group[0]!.scores;
  else if (strategy === 'max') {
    let best = group[0]!;
    for (const e of group) if (Math.max(...e.scores) > Math.max(...best.scores)) best = e;
    scores = best.scores;
  } else {
    scores = new Float64Array(group[0]!.scores.length);
    for (const e of group) for (let j = 0; j < scores.length; j++) scores[j]! += e.scores[j]! / group.length;
  }
  const idx = argmax(scores);
  return { entity: label(idx), score: scores[idx]!, word, start: group[0]!.start, end: group[group.length - 1]!.end };
}

// aggregate_words
function aggregateWords(
  pre: PreEntity[],
  strategy: 'first' | 'average' | 'max',
  label: (i: number) => string,
  tokensToString: (t: string[]) => string,
): WordEntity[] {
  const out: WordEntity[] = [];
  let group: PreEntity[] | undefined;
  for (const e of pre) {
    if (!group) group = [e];
    else if (e.is_subword) group.push(e);
    else {
      out.push(aggregateWord(group, strategy, label, tokensToString));
      group = [e];
    }
  }
  if (group) out.push(aggregateWord(group, strategy, label, tokensToString));
  return out;
}

// get_tag: names without B-/I- count as continuations (I).
function getTag(name: string): [string, string] {
  if (name.startsWith('B-')) return ['B', name.slice(2)];
  if (name.startsWith('I-')) return ['I', name.slice(2)];
  return ['I', name];
}

// group_sub_entities
function groupSubEntities(es: WordEntity[], tokensToString: (t: string[]) => string): GroupedEntity {
  const first = es[0]!.entity;
  const dash = first.indexOf('-');
  return {
    entity_group: dash < 0 ? first : first.slice(dash + 1),
    score: es.reduce((s, e) => s + e.score, 0) / es.length,
    word: tokensToString(es.map((e) => e.word)),
    start: es[0]!.start,
    end: es[es.length - 1]!.end,
  };
}

// group_entities
function groupEntities(entities: WordEntity[], tokensToString: (t: string[]) => string): GroupedEntity[] {
  const groups: GroupedEntity[] = [];
  let disagg: WordEntity[] = [];
  for (const e of entities) {
    if (disagg.length === 0) {
      disagg.push(e);
      continue;
    }
    const [bi, tag] = getTag(e.entity);
    const [, lastTag] = getTag(disagg[disagg.length - 1]!.entity);
    if (tag === lastTag && bi !== 'B') disagg.push(e);
    else {
      groups.push(groupSubEntities(disagg, tokensToString));
      disagg = [e];
    }
  }
  if (disagg.length > 0) groups.push(groupSubEntities(disagg, tokensToString));
  return groups;
}
