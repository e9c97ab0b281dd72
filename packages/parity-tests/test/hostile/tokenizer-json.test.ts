// tokenizer.json cases the fuzzer (fuzz.test.ts) found crashing with a TypeError or a stack overflow; each is now a
// TokenizerFileError naming the field and (clipped) value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertTokenizerFast, TokenizerFileError } from '@albertjs/tokenizer';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES_DIR } from '../../src/fixtures.js';

const base = JSON.parse(
  readFileSync(join(DEFAULT_FIXTURES_DIR, 'tokenizers', 'spm-en-1000', 'tokenizer.json'), 'utf8'),
) as Record<string, Record<string, unknown>>;
const deep = (d: number) => JSON.parse(`${'['.repeat(d)}${']'.repeat(d)}`) as unknown;

function refused(edit: (j: typeof base) => void, message: RegExp): void {
  const j = structuredClone(base);
  edit(j);
  let err: unknown;
  try {
    AlbertTokenizerFast.fromTokenizerJson(j).encode('hello world');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TokenizerFileError);
  expect((err as Error).message).toMatch(message);
  expect((err as Error).message.length).toBeLessThan(400);
}

describe('hostile tokenizer.json', () => {
  it('a template piece that is not {Sequence} / {SpecialToken} (was: TypeError in TemplateProcessing)', () => {
    refused((j) => {
      j.post_processor!.single = ['x'];
    }, /post_processor\.single\[0\] must be an object, got "x"/);
    refused((j) => {
      j.post_processor!.single = [{ Sequence: { id: 'C', type_id: 0 } }];
    }, /post_processor\.single\[0\] is \{"Sequence":\{"id":"C","type_id":0\}\}, neither \{"Sequence"/);
    refused((j) => {
      j.post_processor!.pair = 3;
    }, /post_processor\.pair must be a list of template pieces, got 3/);
    refused((j) => {
      (j.post_processor!.special_tokens as Record<string, unknown>)['[CLS]'] = { id: '[CLS]', ids: [2] };
    }, /special_tokens\["\[CLS\]"\] is .*: expected \{"id": string, "ids": \[ids\], "tokens": \[as many strings\]\}/);
  });

  it('200,000 nested arrays where a value belongs (was: stack overflow printing or converting it)', () => {
    refused((j) => {
      j.pre_tokenizer = deep(200_000) as Record<string, unknown>;
    }, /pre_tokenizer must be an object, got \[…\] \(nested too deeply to print\)/);
    refused((j) => {
      j.decoder!.replacement = deep(200_000);
    }, /decoder: replacement \[…\] \(nested too deeply to print\) is not a character/);
    refused((j) => {
      j.model!.unk_id = deep(200_000);
    }, /model\.unk_id \[…\] \(nested too deeply to print\) is not an integer/);
  });

  it('Sequence normalizers nested 10,000 deep are refused by depth (the builders recurse)', () => {
    let n: unknown = { type: 'Lowercase' };
    for (let i = 0; i < 10_000; i++) n = { type: 'Sequence', normalizers: [n] };
    refused((j) => {
      j.normalizer = n as Record<string, unknown>;
    }, /Sequences nested more than 32 levels deep/);
  });

  it('added_tokens that is not a list', () => {
    refused((j) => {
      (j as Record<string, unknown>).added_tokens = { id: 1 };
    }, /added_tokens must be a list, got \{"id":1\}/);
  });
});
