// core must import in browsers: Node built-ins only through dynamic import() inside functions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;
const files = (readdirSync(src, { recursive: true }) as string[]).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
);

describe('browser-safe sources', () => {
  it.each(files)('%s has no static node: import and no top-level process use', (f) => {
    const text = readFileSync(join(src, f), 'utf8');
    expect(text).not.toMatch(/^\s*import[^(]*from\s+['"]node:/m);
    expect(text).not.toMatch(/^\s*import\s+['"]node:/m);
    expect(text).not.toMatch(/^(?:const|let|export const)[^\n]*\bprocess\./m);
  });
});
