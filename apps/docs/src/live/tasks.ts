// The seven tasks of the live examples: which model class each loads, its input fields, and the call a page
// makes (`pipe(...args)`): the same arguments go into the code the page shows and runs, and into the Node
// reference the site's tests compare with.
import type { HeadName } from '@albertjs/core';
import { type BackendChoice, backendCode, js } from './snippet.js';

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
  /** The variable the snippet holds the pipeline in. */
  name: string;
  /** The arguments of the pipeline call for the field values. */
  args(v: Record<string, string>): unknown[];
}

export const TASKS: TaskSpec[] = [
  {
    id: 'fill-mask',
    title: 'Fill-mask',
    head: 'AlbertForMaskedLM',
    blurb: 'The masked-language-model head predicts the token hidden behind [MASK].',
    fields: [{ name: 'text', label: 'Text with [MASK]', value: 'The capital of [MASK] is Paris.' }],
    cli: 'albert fill-mask "The capital of [MASK] is Paris."',
    name: 'unmasker',
    args: (v) => [v.text, { topK: 5 }],
  },
  {
    id: 'text-classification',
    title: 'Text classification',
    head: 'AlbertForSequenceClassification',
    blurb: 'A sequence classifier on the pooled [CLS] vector; softmax or sigmoid by problem_type.',
    fields: [{ name: 'text', label: 'Text', value: 'This library is easy to use.' }],
    cli: 'albert classify "This library is easy to use." --top-k all',
    name: 'classifier',
    args: (v) => [v.text, { topK: null }],
  },
  {
    id: 'token-classification',
    title: 'Token classification (NER)',
    head: 'AlbertForTokenClassification',
    blurb: 'One label per token, grouped into entities with character offsets into your text.',
    fields: [{ name: 'text', label: 'Text', value: 'Alice moved from Berlin to Paris in May.' }],
    cli: 'albert ner "Alice moved from Berlin to Paris in May." --aggregation simple',
    name: 'ner',
    args: (v) => [v.text, { aggregationStrategy: 'none' }],
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
    name: 'answerer',
    args: (v) => [{ question: v.question, context: v.context }],
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
    name: 'chooser',
    args: (v) => [
      {
        question: v.question,
        choices: v
          .choices!.split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      },
    ],
  },
  {
    id: 'feature-extraction',
    title: 'Feature extraction',
    head: 'AlbertModel',
    blurb: 'Sentence vectors from AlbertModel: mean pooling over the tokens, L2-normalized.',
    fields: [{ name: 'text', label: 'Text', value: 'ALBERT shares its layers across depth.' }],
    cli: 'albert embed "ALBERT shares its layers across depth." --pooling mean --normalize',
    name: 'extractor',
    args: (v) => [v.text, { pooling: 'mean', normalize: true }],
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
    name: 'orderer',
    args: (v) => [{ text: v.first, text_pair: v.second }],
  },
];

export function taskById(id: string): TaskSpec {
  const t = TASKS.find((x) => x.id === id);
  if (!t) throw new Error(`unknown task ${JSON.stringify(id)}`);
  return t;
}

/** The default value of every field of a task. */
export const defaultValues = (t: TaskSpec): Record<string, string> =>
  Object.fromEntries(t.fields.map((f) => [f.name, f.value]));

/** Where a snippet runs: the site's root path ('/', '/site/') and the model folder URL it loads. */
export interface SnippetSite {
  root: string;
  model: string;
}

/**
 * The code of a task page's live example: load `site.model` (a folder URL) on `backend`, run the task on `values`,
 * log the backend's description and the result. The page runs exactly this; so does the site's test.
 */
export function taskSnippet(
  t: TaskSpec,
  site: SnippetSite,
  backend: BackendChoice,
  values: Record<string, string>,
): string {
  const { model } = site;
  const b = backendCode(backend, site.root);
  return `${b.importLine}
import { pipeline } from '@albertjs/pipelines';

const backend = ${b.create};
console.log(await backend.describe());
const ${t.name} = await pipeline(${js(t.id)}, ${js(model)}, { backend });
console.log(await ${t.name}(${t.args(values).map(js).join(', ')}));
`;
}
