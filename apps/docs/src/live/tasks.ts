// The seven tasks of the live examples: which model class each loads, its input fields, how it runs
// (the @albertjs/pipelines task classes) and how its result is shown.
import type { HeadName } from '@albertjs/core';
import {
  FeatureExtractionPipeline,
  FillMaskPipeline,
  MultipleChoicePipeline,
  QuestionAnsweringPipeline,
  SentenceOrderPipeline,
  type TaskContext,
  TextClassificationPipeline,
  TokenClassificationPipeline,
} from '@albertjs/pipelines';

export interface Field {
  name: string;
  label: string;
  value: string;
  /** Multi-line input. */
  area?: boolean;
}

export interface TaskSpec {
  id: string;
  title: string;
  head: HeadName;
  blurb: string;
  fields: Field[];
  /** The equivalent CLI command for the page. */
  cli: string;
  run(ctx: TaskContext<HeadName>, v: Record<string, string>): Promise<unknown>;
}

const ctxOf = <H extends HeadName>(c: TaskContext<HeadName>) => c as unknown as TaskContext<H>;

export const TASKS: TaskSpec[] = [
  {
    id: 'fill-mask',
    title: 'Fill-mask',
    head: 'AlbertForMaskedLM',
    blurb: 'The masked-language-model head predicts the token hidden behind [MASK].',
    fields: [{ name: 'text', label: 'Text with [MASK]', value: 'The capital of [MASK] is Paris.' }],
    cli: 'albert fill-mask "The capital of [MASK] is Paris."',
    run: (c, v) => new FillMaskPipeline(ctxOf<'AlbertForMaskedLM'>(c)).run(v.text!, { topK: 5 }),
  },
  {
    id: 'text-classification',
    title: 'Text classification',
    head: 'AlbertForSequenceClassification',
    blurb: 'A sequence classifier on the pooled [CLS] vector; softmax or sigmoid by problem_type.',
    fields: [{ name: 'text', label: 'Text', value: 'This library is easy to use.' }],
    cli: 'albert classify "This library is easy to use." --top-k all',
    run: (c, v) =>
      new TextClassificationPipeline(ctxOf<'AlbertForSequenceClassification'>(c)).run(v.text!, { topK: null }),
  },
  {
    id: 'token-classification',
    title: 'Token classification (NER)',
    head: 'AlbertForTokenClassification',
    blurb: 'One label per token, grouped into entities with character offsets into your text.',
    fields: [{ name: 'text', label: 'Text', value: 'Alice moved from Berlin to Paris in May.' }],
    cli: 'albert ner "Alice moved from Berlin to Paris in May." --aggregation simple',
    run: (c, v) =>
      new TokenClassificationPipeline(ctxOf<'AlbertForTokenClassification'>(c)).run(v.text!, {
        aggregationStrategy: 'none',
      }),
  },
  {
    id: 'question-answering',
    title: 'Question answering',
    head: 'AlbertForQuestionAnswering',
    blurb: 'Start and end logits over the context; the best span within max_answer_len, scored as start × end.',
    fields: [
      { name: 'question', label: 'Question', value: 'Where is the Eiffel Tower?' },
      {
        name: 'context',
        label: 'Context',
        value: 'The Eiffel Tower is a wrought-iron tower in Paris, France.',
        area: true,
      },
    ],
    cli: 'albert qa "Where is the Eiffel Tower?" "The Eiffel Tower is a wrought-iron tower in Paris, France."',
    run: (c, v) =>
      new QuestionAnsweringPipeline(ctxOf<'AlbertForQuestionAnswering'>(c)).run({
        question: v.question!,
        context: v.context!,
      }),
  },
  {
    id: 'multiple-choice',
    title: 'Multiple choice',
    head: 'AlbertForMultipleChoice',
    blurb: 'Each (prompt, choice) pair is scored; softmax across the choices.',
    fields: [
      { name: 'question', label: 'Prompt', value: 'The sun rises in the' },
      { name: 'choices', label: 'Choices (one per line)', value: 'east\nwest\nnorth', area: true },
    ],
    cli: 'albert choice "The sun rises in the" east west north',
    run: (c, v) =>
      new MultipleChoicePipeline(ctxOf<'AlbertForMultipleChoice'>(c)).run({
        question: v.question!,
        choices: v
          .choices!.split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      }),
  },
  {
    id: 'feature-extraction',
    title: 'Feature extraction',
    head: 'AlbertModel',
    blurb: 'Sentence vectors from AlbertModel: mean pooling over the tokens, L2-normalized.',
    fields: [{ name: 'text', label: 'Text', value: 'ALBERT shares its layers across depth.' }],
    cli: 'albert embed "ALBERT shares its layers across depth." --pooling mean --normalize',
    run: (c, v) =>
      new FeatureExtractionPipeline(ctxOf<'AlbertModel'>(c)).run(v.text!, { pooling: 'mean', normalize: true }),
  },
  {
    id: 'sentence-order',
    title: 'Sentence order',
    head: 'AlbertForPreTraining',
    blurb: "AlbertForPreTraining's sentence-order head: are the two segments in their original order?",
    fields: [
      { name: 'first', label: 'First segment', value: 'She opened the door.' },
      { name: 'second', label: 'Second segment', value: 'Then she walked inside.' },
    ],
    cli: 'albert sop "She opened the door." "Then she walked inside."',
    run: (c, v) =>
      new SentenceOrderPipeline(ctxOf<'AlbertForPreTraining'>(c)).run({ text: v.first!, text_pair: v.second! }),
  },
];

export function taskById(id: string): TaskSpec {
  const t = TASKS.find((x) => x.id === id);
  if (!t) throw new Error(`unknown task ${JSON.stringify(id)}`);
  return t;
}
