// A task page: inputs, backend picker, and the code that runs them — `pipeline(task, modelUrl, { backend })` on
// the embedded default model (or ?model=<folder URL>) — shown and, on Run, run verbatim in this tab.
import { renderResult, toJson } from '../live/render.js';
import { BACKEND_CHOICES, type BackendChoice, runSnippet } from '../live/snippet.js';
import { taskById, taskSnippet } from '../live/tasks.js';
import { renderNav, sitePath } from '../site.js';

renderNav();
const params = new URLSearchParams(location.search);
const task = taskById(document.body.dataset.task ?? '');
const model = params.get('model') ?? sitePath('models/default/');
const main = document.querySelector('main')!;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
main.innerHTML = `
<h1>${task.title}</h1>
<p>${task.blurb} Model class: <code>${task.head}</code>. The example runs entirely in this tab: Run executes the code below.</p>
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
<p id="model">Model: <code>${esc(model)}</code>${params.has('model') ? '' : ' (the embedded default model; pass <code>?model=</code> a model folder URL for another)'}</p>
<p id="status" data-state="idle">Press Run to load the model and run the code below.</p>
<div id="result"></div>
<h2>The code (what Run executes)</h2>
<pre id="code" class="snippet"></pre>
<h2>The same from the command line</h2>
<pre>${esc(task.cli)}</pre>`;

const select = document.querySelector<HTMLSelectElement>('#backend')!;
const wanted = params.get('backend');
if (wanted && BACKEND_CHOICES.some((b) => b.id === wanted)) select.value = wanted;
const status = document.querySelector<HTMLParagraphElement>('#status')!;
const result = document.querySelector<HTMLDivElement>('#result')!;
const codeBox = document.querySelector<HTMLPreElement>('#code')!;

const setStatus = (state: string, text: string) => {
  status.dataset.state = state;
  status.textContent = text;
};
const values = () =>
  Object.fromEntries(task.fields.map((f) => [f.name, document.querySelector<HTMLInputElement>(`#f-${f.name}`)!.value]));
const code = () => taskSnippet(task, { root: sitePath(''), model }, select.value as BackendChoice, values());
const showCode = () => {
  codeBox.textContent = code();
};
showCode();
document.querySelector('#form')!.addEventListener('input', showCode);

document.querySelector('#form')!.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  showCode();
  result.innerHTML = '';
  delete result.dataset.json;
  try {
    setStatus('running', `loading ${model} and running on ${select.value}…`);
    const run = await runSnippet(codeBox.textContent ?? '');
    const [device] = run.logs[0] ?? [];
    const [out] = run.logs[1] ?? [];
    result.innerHTML = renderResult(out);
    result.dataset.json = toJson(out);
    setStatus('done', `done in ${run.ms.toFixed(0)} ms on ${String(device)}`);
    const init = run.warnings.find((w) => w.includes('newly initialized'));
    if (init)
      result.insertAdjacentHTML(
        'afterbegin',
        `<p id="untrained-head" class="note">This model has no fine-tuned ${task.head} head, so its weights were newly initialized (seeded) and the scores only show the pipeline at work; pass <code>?model=</code> a fine-tuned model folder for real answers. pipeline() said: <q>${esc(init)}</q></p>`,
      );
  } catch (e) {
    setStatus('error', `error: ${(e as Error).message}`);
  }
});
