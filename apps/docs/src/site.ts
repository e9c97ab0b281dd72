// Shared page chrome: the navigation bar, the stylesheet every page uses, and the site's root URL.
import './style.css';
import { TASKS } from './live/tasks.js';

/**
 * The site's root URL. Pages live at different depths (index.html, tasks/x.html) and the build uses a relative
 * base, so the root is found from this module's own URL: src/site.ts in development, assets/*.js once built —
 * one folder below the root either way. (A variable keeps Vite from treating it as an asset reference.)
 */
const up = '../';
export const SITE_ROOT = new URL(up, import.meta.url).href;

/** A path of the site as an absolute path on this server ('/models/default/', or under the site's subfolder). */
export const sitePath = (path: string): string => new URL(path, SITE_ROOT).pathname;

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
  nav.innerHTML = links.map(([href, label]) => `<a href="${sitePath(href)}">${label}</a>`).join('');
  document.body.prepend(nav);
}
