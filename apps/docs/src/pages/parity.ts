// The parity page: the matrix `albert parity --matrix` wrote into public/parity/.
import { renderNav } from '../site.js';

renderNav();
const box = document.querySelector<HTMLDivElement>('#matrix')!;
const url = `${import.meta.env.BASE_URL}parity/matrix.html`;
const r = await fetch(url);
const html = r.ok ? await r.text() : '';
if (html.includes('id="parity-matrix"')) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  box.innerHTML = `${doc.querySelector('style')?.outerHTML ?? ''}${doc.body.innerHTML.replace(/<h1>.*?<\/h1>/, '')}`;
} else {
  box.innerHTML = `<p id="no-matrix">No matrix has been generated for this build yet: run <code>albert parity --backend all --matrix apps/docs/public/parity/matrix</code>.</p>`;
}
