import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FILES, defaultModelPath } from '../src/default-model.js';

describe('defaultModelPath', () => {
  afterEach(() => {
    delete process.env.ALBERTJS_DEFAULT_MODEL;
  });
  it('finds @albertjs/default-model (models/default of the repository)', () => {
    expect(defaultModelPath()).toMatch(/models[/\\]default$/);
  });
  it('prefers $ALBERTJS_DEFAULT_MODEL when it holds a complete model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-default-'));
    for (const f of DEFAULT_MODEL_FILES) writeFileSync(join(dir, f), '{}');
    process.env.ALBERTJS_DEFAULT_MODEL = dir;
    expect(defaultModelPath()).toBe(dir);
  });
  it('ignores an incomplete $ALBERTJS_DEFAULT_MODEL', () => {
    process.env.ALBERTJS_DEFAULT_MODEL = mkdtempSync(join(tmpdir(), 'albert-empty-'));
    expect(defaultModelPath()).toMatch(/models[/\\]default$/);
  });
});
