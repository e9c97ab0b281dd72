// Shared page chrome: the navigation bar and the stylesheet every page uses.
import './style.css';
import { TASKS } from './live/tasks.js';

const base = import.meta.env.BASE_URL;

export function renderNav(): void {
  const nav = document.createElement('nav');
  const links: [string, string][] = [
    ['index.html', 'albertjs'],
    ['getting-started.html', 'Getting started'],
    ...TASKS.map((t): [string, string] => [`tasks/${t.id}.html`, t.title]),
    ['parity.html', 'Parity'],
    ['benchmarks.html', 'Benchmarks'],
    ['api/index.html', 'API'],
  ];
  nav.innerHTML = links.map(([href, label]) => `<a href="${base}${href}">${label}</a>`).join('');
  document.body.prepend(nav);
}
