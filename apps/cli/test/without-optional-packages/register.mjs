// `node --import ./register.mjs …`: runs the CLI as if installed without its optional peer dependencies.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
