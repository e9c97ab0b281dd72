import { BackendError, CheckpointError, ConfigError, HubError } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { importOptional, importRequired, isNotInstalled, openBackend, parseBackendList } from '../src/backends.js';
import { CliError, EXIT, exitCodeOf, formatError } from '../src/exit-codes.js';

describe('backend loading', () => {
  it('a package that is not installed is recognised as such (not as a broken backend)', async () => {
    const err = await importOptional('@albertjs/not-a-backend').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isNotInstalled(err, '@albertjs/not-a-backend')).toBe(true);
    expect(isNotInstalled(new Error('SyntaxError: Unexpected token in @albertjs/tfjs'), '@albertjs/tfjs')).toBe(false);
  });

  it('a package a command needs is loaded, or its absence is a CliError (exit 6) naming who needs it and the install command', async () => {
    const mod = await importRequired<{ createBackend: unknown }>('@albertjs/onnx', 'export-onnx needs');
    expect(typeof mod.createBackend).toBe('function');
    const err = await importRequired('@albertjs/not-a-package', 'albert frob needs').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.MISSING_PACKAGE);
    expect((err as CliError).message).toBe(
      'albert frob needs @albertjs/not-a-package, which is not installed; install it next to @albertjs/cli: npm install @albertjs/not-a-package',
    );
  });

  it('opens an installed backend and describes what runs', async () => {
    const s = await openBackend('onnx');
    expect(s.ok).toBe(true);
    if (s.ok) {
      expect(s.description).toMatch(/^onnxruntime-node /);
      await s.backend.dispose?.();
    }
  });

  it('parses --backend lists', () => {
    expect(parseBackendList('all')).toEqual(['tfjs', 'onnx', 'webgpu']);
    expect(parseBackendList('none')).toEqual([]);
    expect(parseBackendList('onnx, webgpu')).toEqual(['onnx', 'webgpu']);
    expect(() => parseBackendList('onnx,cuda')).toThrow('unknown backend "cuda"');
  });
});

describe('error → exit code', () => {
  it('maps each error class to its documented code and prints no stack', () => {
    expect(exitCodeOf(new BackendError('no adapter'))).toBe(EXIT.BACKEND_UNAVAILABLE);
    expect(exitCodeOf(new HubError('404', 404))).toBe(EXIT.HUB);
    expect(exitCodeOf(new ConfigError('bad'))).toBe(EXIT.BAD_INPUT);
    expect(exitCodeOf(new CheckpointError('bad'))).toBe(EXIT.BAD_INPUT);
    expect(exitCodeOf(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(EXIT.BAD_INPUT);
    for (const name of ['TokenizerError', 'TokenizerFileError', 'TokenizerInputError'])
      expect(exitCodeOf(Object.assign(new Error('x'), { name })), name).toBe(EXIT.BAD_INPUT);
    const internal = new TypeError('x is undefined');
    expect(exitCodeOf(internal)).toBe(EXIT.INTERNAL);
    expect(formatError(internal)).toBe(
      'internal error (TypeError): x is undefined\nThis is a bug in albertjs; set ALBERT_DEBUG=1 to see the stack trace.',
    );
    expect(formatError(new BackendError('backend webgpu unavailable: no adapter'))).toBe(
      'error: backend webgpu unavailable: no adapter',
    );
  });
});
