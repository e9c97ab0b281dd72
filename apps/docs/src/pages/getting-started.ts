// Getting started: every code block with a Run button is generated here and runs verbatim in this tab.
import { GUIDE_SNIPPETS } from '../live/getting-started.js';
import { toJson } from '../live/render.js';
import { runSnippet } from '../live/snippet.js';
import { renderNav, sitePath } from '../site.js';

renderNav();
const site = { root: sitePath(''), model: sitePath('models/default/') };

for (const s of GUIDE_SNIPPETS) {
  const box = document.querySelector<HTMLElement>(`[data-snippet="${s.id}"]`);
  if (!box) throw new Error(`getting-started.html has no [data-snippet="${s.id}"]`);
  box.innerHTML = `<pre class="snippet"></pre><button type="button" class="run">Run</button> <span class="status" data-state="idle"></span><pre class="output"></pre>`;
  const pre = box.querySelector('pre.snippet')!;
  pre.textContent = s.code(site);
  const status = box.querySelector<HTMLElement>('.status')!;
  const output = box.querySelector<HTMLElement>('.output')!;
  box.querySelector('button')!.addEventListener('click', async () => {
    status.dataset.state = 'running';
    status.textContent = 'running…';
    try {
      const run = await runSnippet(pre.textContent ?? '');
      output.textContent = run.logs.map((args) => args.map((a) => JSON.stringify(a, null, 1)).join(' ')).join('\n');
      output.dataset.json = toJson(run.logs);
      status.dataset.state = 'done';
      status.textContent = `done in ${run.ms.toFixed(0)} ms`;
    } catch (e) {
      status.dataset.state = 'error';
      status.textContent = `error: ${(e as Error).message}`;
    }
  });
}
