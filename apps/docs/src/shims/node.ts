// Browser stand-ins for the Node built-ins some packages import at the top level for their Node-only
// paths (e.g. @albertjs/pipelines' default-model.ts). Calling any of them in a browser is a clear error.
const nodeOnly = (name: string) => (): never => {
  throw new Error(`${name} is only available in Node.js; in the browser, pass model files explicitly`);
};
export const existsSync = nodeOnly('fs.existsSync');
export const readFileSync = nodeOnly('fs.readFileSync');
export const statSync = nodeOnly('fs.statSync');
export const readFile = nodeOnly('fs.readFile');
export const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');
export const dirname = (p: string): string => p.replace(/\/[^/]*$/, '') || '/';
export const resolve = (...parts: string[]): string => join(...parts);
export const fileURLToPath = (u: string | URL): string => new URL(String(u)).pathname;
export default { existsSync, readFileSync, statSync, readFile, join, dirname, resolve, fileURLToPath };
