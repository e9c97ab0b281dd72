// A task page: inputs, backend picker, Run; loads the model folder (default: the embedded default model),
// runs the task pipeline in this browser tab and shows the result.
import { Tensor } from '@albertjs/core';
import { BACKEND_CHOICES, type BackendChoice, getBackend } from '../live/backends.js';
import { type FetchedModel, fetchModel } from '../live/model.js';
import { renderResult } from '../live/render.js';
import { taskById } from '../live/tasks.js';
import { renderNav } from '../site.js';

renderNav();
const params = new URLSearchParams(location.search);
const task = taskById(document.body.dataset.task ?? '');
const modelBase = params.get('model') ?? `${import.meta.env.BASE_URL}models/default/`;
const main = document.querySelector('main')!;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
main.innerHTML = `
<h1>${task.title}</h1>
<p>${task.blurb} Model class: <code>${task.head}</code>. The example runs entirely in this tab.</p>
<form id="form">
  ${task.fields
    .map((f) =>
      f.area
        ? `<label for="f-${f.name}">${f.label}</label><textarea id="f-${f.name}" name="${f.name}" rows="3">${esc(f.value)}</textarea>`
        : `<label for="f-${f.name}">${f.label}</label><input type="text" id="f-${f.name}" name="${f.name}" value="${esc(f.value)}">`,
    )
    .join('\n')}
  <label for="backend">Backend</label>
  <select id="backend" name="backend">${BACKEND_CHOICES.map((b) => `<option value="${b.id}">${b.label}</option>`).join('')}</select>
  <button type="submit" id="run">Run</button>
</form>
<p id="model">Model: <code>${esc(modelBase)}</code>${params.has('model') ? '' : ' (the embedded default model; pass <code>?model=</code> a model folder URL for another)'}</p>
<p id="status" data-state="idle">Press Run to load the model and run the example.</p>
<div id="result"></div>
<h2>The same from the command line</h2>
<pre>${esc(task.cli)}</pre>
<h2>The same in code</h2>
<pre>${esc(`import { createBackend } from '@albertjs/webgpu'; // or '@albertjs/onnx', '@albertjs/tfjs'
import { pipeline } from '@albertjs/pipelines';

const pipe = await pipeline('${task.id}', modelFolder, { backend: await createBackend() });
console.log(await pipe.run(/* ${task.fields.map((f) => f.name).join(', ')} */));`)}</pre>`;

const select = document.querySelector<HTMLSelectElement>('#backend')!;
const wanted = params.get('backend');
if (wanted && BACKEND_CHOICES.some((b) => b.id === wanted)) select.value = wanted;
const status = document.querySelector<HTMLParagraphElement>('#status')!;
const result = document.querySelector<HTMLDivElement>('#result')!;

let model: Promise<FetchedModel> | undefined;
const setStatus = (state: string, text: string) => {
  status.dataset.state = state;
  status.textContent = text;
};

function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x instanceof Tensor ? { dims: x.shape, data: Array.from(x.data as Float32Array) } : x,
  );
}

document.querySelector('#form')!.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const values = Object.fromEntries(
    task.fields.map((f) => [f.name, document.querySelector<HTMLInputElement>(`#f-${f.name}`)!.value]),
  );
  const choice = select.value as BackendChoice;
  result.innerHTML = '';
  delete result.dataset.json;
  try {
    setStatus('loading', `loading ${modelBase} and ${choice}…`);
    model ??= fetchModel(modelBase);
    const m = await model;
    const backend = await getBackend(choice);
    const { weights, initialized } = m.weightsFor(task.head);
    const handle = await backend.loadModel(task.head, m.config, weights);
    try {
      setStatus('running', `running on ${await backend.describe()}…`);
      const t0 = performance.now();
      const out = await task.run(
        {
          model: handle,
          config: m.config,
          tokenizer: m.tokenizer,
          batchSize: 8,
          maxLength: m.config.max_position_embeddings,
        },
        values,
      );
      const ms = performance.now() - t0;
      result.innerHTML = renderResult(out);
      result.dataset.json = toJson(out);
      result.dataset.backend = backend.name;
      setStatus('done', `done in ${ms.toFixed(0)} ms on ${await backend.describe()}`);
      if (initialized.length) {
        result.insertAdjacentHTML(
          'afterbegin',
          `<p id="untrained-head" class="note">This model has no fine-tuned ${task.head} head: ${initialized.length} head weight(s) (${initialized.join(', ')}) were newly initialized, so the scores only show the pipeline at work. Pass <code>?model=</code> a fine-tuned model folder for real answers.</p>`,
        );
      }
    } finally {
      handle.dispose();
    }
  } catch (e) {
    setStatus('error', `error: ${(e as Error).message}`);
  }
});
