import { describe, expect, it } from 'vitest';
import { camelCase, checkOptions, InputError } from '../src/index.js';

const KNOWN = { topK: true, maxLength: true, returnTensors: true } as const;

describe('checkOptions', () => {
  it('passes known options, undefined and null', () => {
    expect(() => checkOptions('f', { topK: 3, maxLength: undefined }, KNOWN)).not.toThrow();
    expect(() => checkOptions('f', undefined, KNOWN)).not.toThrow();
    expect(() => checkOptions('f', null, KNOWN)).not.toThrow();
  });
  it.each([
    ['top_k', 'topK'],
    ['max_length', 'maxLength'],
    ['return_tensors', 'returnTensors'],
    ['topk', 'topK'],
  ])('%s is an InputError naming it and %s', (bad, good) => {
    const call = () => checkOptions('fill-mask pipeline', { [bad]: 1 }, KNOWN);
    expect(call).toThrow(InputError);
    expect(call).toThrow(`fill-mask pipeline: unknown option ${bad} — did you mean ${good}?`);
  });
  it('an option with no near spelling lists the known ones', () => {
    expect(() => checkOptions('f', { temperature: 1 }, KNOWN)).toThrow(
      'f: unknown option temperature (known: topK, maxLength, returnTensors)',
    );
    expect(() => checkOptions('f', { x: 1 }, {})).toThrow('f: unknown option x (known: none)');
  });
  it('options that are not an object are named', () => {
    expect(() => checkOptions('f', 5, KNOWN)).toThrow('f: options must be an object, got number');
    expect(() => checkOptions('f', [1], KNOWN)).toThrow('f: options must be an object, got an array');
  });
  it('camelCase', () => {
    expect(camelCase('output_hidden_states')).toBe('outputHiddenStates');
    expect(camelCase('attn-implementation')).toBe('attnImplementation');
    expect(camelCase('topK')).toBe('topK');
  });
});
