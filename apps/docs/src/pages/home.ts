// The home page: navigation and the list of live task examples.
import { TASKS } from '../live/tasks.js';
import { renderNav } from '../site.js';

renderNav();
document.querySelector('#task-list')!.innerHTML = TASKS.map(
  (t) => `<li><a href="${import.meta.env.BASE_URL}tasks/${t.id}.html">${t.title}</a> — ${t.blurb}</li>`,
).join('');
