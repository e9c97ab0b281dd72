// The runnable snippets of the Getting started page, one per backend, plus loading a checkpoint without a
// pipeline (the README's quick look, in a browser). Each is run verbatim by its Run button and by the site's test.
import type { BackendChoice } from './snippet.js';
import { defaultValues, type SnippetSite, type TaskSpec, taskById, taskSnippet } from './tasks.js';

export interface GuideSnippet {
  id: string;
  /** The task and backend of a pipeline snippet (absent: the loadPretrained snippet). */
  task?: TaskSpec;
  backend: BackendChoice;
  code(site: SnippetSite): string;
}

const viaPipeline = (id: string, taskId: string, backend: BackendChoice): GuideSnippet => {
  const task = taskById(taskId);
  return { id, task, backend, code: (site) => taskSnippet(task, site, backend, defaultValues(task)) };
};

export const GUIDE_SNIPPETS: GuideSnippet[] = [
  viaPipeline('webgpu', 'fill-mask', 'webgpu'),
  viaPipeline('onnx', 'sentence-order', 'onnx'),
  viaPipeline('tfjs', 'feature-extraction', 'tfjs'),
  {
    id: 'loading',
    backend: 'onnx',
    code: ({ model }) => `import { loadPretrained } from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';

const dir = '${model}'; // a folder URL; in Node also a local folder or a Hub id such as 'albert/albert-base-v2'
const { config, weights } = await loadPretrained(dir, 'AlbertForMaskedLM');
const tokenizer = await AlbertTokenizerFast.fromPretrained(dir);
const model = await (await createBackend()).loadModel('AlbertForMaskedLM', config, weights);
const enc = tokenizer.call('The capital of [MASK] is Paris.', { returnTensors: 'int64' });
const { logits } = await model.forward({ input_ids: enc.input_ids, attention_mask: enc.attention_mask });
console.log(logits.dims, logits.tolist()[0][1].slice(0, 5));
`,
  },
];
