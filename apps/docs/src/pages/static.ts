// Pages without live content: only the navigation.
import { renderNav } from '../site.js';

renderNav();
