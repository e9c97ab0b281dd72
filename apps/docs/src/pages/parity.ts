// The parity page: its content is rendered into the HTML at build time (vite.config.ts, src/data/pages.ts).
import { renderNav } from '../site.js';

renderNav();
