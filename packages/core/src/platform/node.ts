// The Node built-ins core itself uses, typed (internal: not exported from index.ts, so core's .d.ts files name no
// Node types).
import { nodeBuiltin } from './node-builtin.js';

export const nodeFs = () => nodeBuiltin<typeof import('node:fs')>('node:fs');
export const nodeFsPromises = () => nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
export const nodePath = () => nodeBuiltin<typeof import('node:path')>('node:path');
export const nodeOs = () => nodeBuiltin<typeof import('node:os')>('node:os');
export const nodeCrypto = () => nodeBuiltin<typeof import('node:crypto')>('node:crypto');
