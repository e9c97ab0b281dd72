// Where task commands read text (argument, stdin "-", --file lines, --file JSON Lines --field), long command lines
// (onnxruntime-node crashed with SIGSEGV on ~28 KB of argv), and the exit codes of issue 15 item 8.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIO, EXIT, main } from '../src/index.js';
import { run, taskModel } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../src/bin.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');
const scratch = mkdtempSync(join(tmpdir(), 'albert-text-'));

async function runStdin(stdin: string, ...argv: string[]) {
  const io = bufferIO(stdin);
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

function spawnAlbert(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--conditions=@albertjs/source', '--import', tsx, bin, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 2 ** 20,
    env: {
      ...process.env,
      VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json',
    },
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

const vectors = (json: string) => {
  const v = JSON.parse(json) as { data: number[] } | { data: number[] }[];
  return (Array.isArray(v) ? v : [v]).map((t) => t.data);
};

/** ~`bytes` of varied text (words of the default model's corpus, accents and CJK included). */
function longText(bytes: number): string {
  const words = ['the', 'capital', 'of', 'france', 'is', 'paris', 'héllo', '日本', 'dogs', 'run', 'fast,', 'and'];
  const out: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const w = words[(i * 7 + (i >> 3)) % words.length]!;
    out.push(w);
    n += Buffer.byteLength(w) + 1;
  }
  return out.join(' ');
}

describe('task text from the argument, stdin and files', () => {
  it('"-", --file lines and --file JSON Lines --field give the same vectors as the argument', async () => {
    const texts = ['the capital of france is paris.', 'dogs run fast.'];
    const byArg = await run('embed', ...texts, '-b', 'onnx', '--json');
    expect(byArg.code, byArg.err).toBe(0);
    const want = vectors(byArg.out);
    expect(want).toHaveLength(2);

    const one = await runStdin(`${texts[0]}\n`, 'embed', '-', '-b', 'onnx', '--json');
    expect(one.code, one.err).toBe(0);
    expect(vectors(one.out)).toEqual([want[0]]);

    const lines = join(scratch, 'lines.txt');
    writeFileSync(lines, `${texts[0]}\n\n${texts[1]}\r\n`);
    const byFile = await run('embed', '--file', lines, '-b', 'onnx', '--json');
    expect(byFile.code, byFile.err).toBe(0);
    expect(vectors(byFile.out)).toEqual(want);

    const jsonl = join(scratch, 't.jsonl');
    writeFileSync(jsonl, texts.map((t, i) => JSON.stringify({ id: i, text: t })).join('\n'));
    const byJsonl = await run('embed', '--file', jsonl, '--field', 'text', '-b', 'onnx', '--json');
    expect(byJsonl.code, byJsonl.err).toBe(0);
    expect(vectors(byJsonl.out)).toEqual(want);

    const fromStdinFile = await runStdin(texts.join('\n'), 'embed', '--file', '-', '-b', 'onnx', '--json');
    expect(vectors(fromStdinFile.out)).toEqual(want);
  });

  it('qa, fill-mask and tokenize read "-" too', async () => {
    const ctx = 'the capital of france is paris. dogs run fast.';
    const a = await run('qa', 'what is the capital of france?', ctx, '-b', 'onnx', '--json');
    const b = await runStdin(ctx, 'qa', 'what is the capital of france?', '-', '-b', 'onnx', '--json');
    expect(b.code, b.err).toBe(a.code);
    expect(b.out).toBe(a.out);
    const t1 = await run('tokenize', 'héllo 日本', '--json');
    const t2 = await runStdin('héllo 日本\n', 'tokenize', '-', '--json');
    expect(t2.out).toBe(t1.out);
    const f = await runStdin('the capital of [MASK] is paris.', 'fill-mask', '-', '-b', 'onnx', '--json');
    expect(f.code, f.err).toBe(0);
    expect(JSON.parse(f.out)).toHaveLength(5);
  });

  it('sop and choice read "-"; fill-mask, classify and ner read --file lines and JSON Lines: same results as arguments', async () => {
    const sop = await run('sop', 'the sky is blue.', 'dogs run fast.', '-b', 'onnx', '--json');
    expect(sop.code, sop.err).toBe(0);
    expect((await runStdin('dogs run fast.', 'sop', 'the sky is blue.', '-', '-b', 'onnx', '--json')).out).toBe(
      sop.out,
    );
    const mc = taskModel('tiny', 'AlbertForMultipleChoice');
    const choice = await run('choice', 'the sky is', 'blue', 'green', '-m', mc, '-b', 'onnx', '--json');
    expect(choice.code, choice.err).toBe(0);
    expect((await runStdin('green', 'choice', 'the sky is', 'blue', '-', '-m', mc, '-b', 'onnx', '--json')).out).toBe(
      choice.out,
    );
    const texts = ['the capital of [MASK] is paris.', 'dogs [MASK] fast.'];
    const lines = join(scratch, 'tasks.txt');
    writeFileSync(lines, `${texts.join('\n')}\n`);
    const jsonl = join(scratch, 'tasks.jsonl');
    writeFileSync(jsonl, texts.map((t) => JSON.stringify({ t })).join('\n'));
    const models: [string, string | undefined][] = [
      ['fill-mask', undefined],
      ['classify', taskModel('tiny', 'AlbertForSequenceClassification')],
      ['ner', taskModel('tiny', 'AlbertForTokenClassification')],
    ];
    for (const [task, dir] of models) {
      const m = dir ? ['-m', dir] : [];
      const byArg = await Promise.all(texts.map((t) => run(task, t, ...m, '-b', 'onnx', '--json')));
      for (const r of byArg) expect(r.code, `${task}: ${r.err}`).toBe(0);
      const want = byArg.map((r) => JSON.parse(r.out));
      const byLines = await run(task, '--file', lines, ...m, '-b', 'onnx', '--json');
      expect(byLines.code, `${task}: ${byLines.err}`).toBe(0);
      expect(JSON.parse(byLines.out), task).toEqual(want);
      const byJsonl = await run(task, '--file', jsonl, '--field', 't', ...m, '-b', 'onnx', '--json');
      expect(JSON.parse(byJsonl.out), task).toEqual(want);
    }
  });

  it('bad text sources are usage (2) or bad-input (3) errors naming the file, line and field', async () => {
    const jsonl = join(scratch, 'bad.jsonl');
    writeFileSync(jsonl, '{"text": "ok"}\n{"text": 3}\n');
    const cases: [string[], number, string | RegExp][] = [
      [['embed', '--field', 'text'], EXIT.USAGE, 'error: --field needs --file (the JSON Lines file to read)'],
      [['embed'], EXIT.USAGE, 'error: no text given: pass it as an argument, "-" for stdin, or --file'],
      [['embed', '--file', join(scratch, 'nope.txt')], EXIT.BAD_INPUT, /--file .*nope\.txt: ENOENT/],
      [
        ['embed', '--file', jsonl, '--field', 'text'],
        EXIT.BAD_INPUT,
        /line 2: field "text" is not a string \(number\)/,
      ],
      [
        ['embed', '--file', jsonl, '--field', 'body'],
        EXIT.BAD_INPUT,
        /line 1: field "body" is missing in \{"text": "ok"\}/,
      ],
      [['qa', '-', '-'], EXIT.USAGE, 'error: "-" (stdin) can be given only once per command'],
    ];
    for (const [argv, code, msg] of cases) {
      const r = await runStdin('x', ...argv, '-b', 'onnx');
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.err, argv.join(' ')).toMatch(msg);
    }
    writeFileSync(join(scratch, 'notjson.jsonl'), '{"text": "ok"}\n{oops\n');
    const nj = await run('embed', '--file', join(scratch, 'notjson.jsonl'), '--field', 'text');
    expect(nj.code).toBe(EXIT.BAD_INPUT);
    expect(nj.err).toMatch(/notjson\.jsonl line 2 is not JSON/);
  });
});

describe('long texts and long command lines (onnxruntime-node 1.30 crashed with SIGSEGV over ~28 KB of argv)', () => {
  it('1 MB of text as ten 100 KB arguments (a process), on stdin and in a JSON Lines file: same vectors', async () => {
    const parts = Array.from({ length: 10 }, (_, i) => longText(100_000 + i));
    expect(Buffer.byteLength(parts.join(' '))).toBeGreaterThan(1_000_000);
    const viaArgv = spawnAlbert(['embed', ...parts, '-b', 'onnx', '--json']);
    expect(viaArgv.signal).toBeNull();
    expect(viaArgv.code, viaArgv.err).toBe(0);
    const want = vectors(viaArgv.out);
    expect(want).toHaveLength(10);
    const viaStdin = await runStdin(parts.join('\n'), 'embed', '--file', '-', '-b', 'onnx', '--json');
    expect(viaStdin.code, viaStdin.err).toBe(0);
    expect(vectors(viaStdin.out)).toEqual(want);
    const file = join(scratch, 'big.jsonl');
    writeFileSync(file, parts.map((text) => JSON.stringify({ text })).join('\n'));
    const viaFile = await run('embed', '--file', file, '--field', 'text', '-b', 'onnx', '--json');
    expect(viaFile.code, viaFile.err).toBe(0);
    expect(vectors(viaFile.out)).toEqual(want);
    // a single 1 MB text on stdin ("-") is one input
    const one = await runStdin(parts.join(' '), 'embed', '-', '-b', 'onnx', '--json');
    expect(vectors(one.out)).toHaveLength(1);
  });

  // The 1 MB cases above run on onnx (the backend whose runtime crashed on long argv); tfjs and webgpu see the same
  // truncated ids whatever the text's length, so they take 40 KB through each path (1 MB costs ~50 s of tokenizing
  // per path on a loaded machine: docs/hostile-inputs.md).
  it.each(['tfjs', 'webgpu'])(
    'on %s, 40 KB through argv (a process), stdin "-" and --file: the vectors of onnx',
    async (backend) => {
      const text = longText(40_000);
      const ref = vectors((await run('embed', text, '-b', 'onnx', '--json')).out)[0]!;
      const hidden = JSON.parse(readFileSync(resolve(here, '../../../models/default/config.json'), 'utf8')).hidden_size;
      expect(ref).toHaveLength(hidden);
      const viaArgv = spawnAlbert(['embed', text, '-b', backend, '--json']);
      expect(viaArgv.signal).toBeNull();
      expect(viaArgv.code, viaArgv.err).toBe(0);
      const viaStdin = await runStdin(text, 'embed', '-', '-b', backend, '--json');
      expect(viaStdin.code, viaStdin.err).toBe(0);
      const file = join(scratch, `long-${backend}.txt`);
      writeFileSync(file, `${text}\n${text}\n`);
      const viaFile = await run('embed', '--file', file, '-b', backend, '--json');
      expect(viaFile.code, viaFile.err).toBe(0);
      const got = [...vectors(viaArgv.out), ...vectors(viaStdin.out), ...vectors(viaFile.out)];
      expect(got).toHaveLength(4);
      for (const v of got) for (const [i, x] of v.entries()) expect(Math.abs(x - ref[i]!)).toBeLessThan(1e-4);
    },
  );

  it('an error quoting a long text quotes at most 60 characters of it', async () => {
    const text = longText(20_000);
    const r = await runStdin(text, 'fill-mask', '-', '-b', 'onnx');
    expect(r.code).toBe(EXIT.BAD_INPUT);
    const clipped = `${text.slice(0, 60)}… (${text.length} characters)`;
    expect(r.err).toBe(`error: fill-mask: no [MASK] in ${JSON.stringify(clipped)}`);
    expect(r.err.length).toBeLessThan(140);
  });

  it('the relaunched process passes its exit code and messages back', () => {
    const bad = spawnAlbert(['embed', longText(40_000), '-b', 'onnx', '--dtype', 'bogus']);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.err).toMatch(/option '--dtype <dtype>' argument 'bogus' is invalid/);
  });
});

describe('exit codes of issue 15 item 8', () => {
  it('--dtype bogus is a usage error (2); --dtype int8 on tfjs says which backends run it (2)', async () => {
    const a = await run('embed', 'hi', '--dtype', 'bogus', '-b', 'onnx');
    expect(a.code).toBe(EXIT.USAGE);
    expect(a.err).toContain("argument 'bogus' is invalid. Allowed choices are float32, float16, int8.");
    const b = await run('embed', 'hi', '--dtype', 'int8', '-b', 'tfjs');
    expect(b.code).toBe(EXIT.USAGE);
    expect(b.err).toBe('error: --dtype int8: backend tfjs runs float32 only (int8 runs on onnx)');
    const c = await run('embed', 'hi', '--dtype', 'float16', '-b', 'tfjs');
    expect(c.err).toBe('error: --dtype float16: backend tfjs runs float32 only (float16 runs on onnx, webgpu)');
    const d = await run('fill-mask', 'a [MASK].', '--dtype', 'int8', '-b', 'webgpu');
    expect(d.code).toBe(EXIT.USAGE);
    expect(d.err).toBe('error: --dtype int8: backend webgpu runs float32, float16 only (int8 runs on onnx)');
  });

  it('albert bench: a named backend that cannot run --dtype is the same usage error (2), before any cell runs', async () => {
    const r = await run('bench', 'infer', '--grid', 'smoke', '-b', 'tfjs', '--dtype', 'int8');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.err).toBe('error: --dtype int8: backend tfjs runs float32 only (int8 runs on onnx)');
    const f = await run('bench', 'train', '--grid', 'smoke', '-b', 'onnx,webgpu', '--dtype', 'int8');
    expect(f.code).toBe(EXIT.USAGE);
    expect(f.err).toBe('error: --dtype int8: backend webgpu runs float32, float16 only (int8 runs on onnx)');
  });

  it('fill-mask whose [MASK] truncation dropped says so, naming the position and the max length (3)', async () => {
    const text = `${'word '.repeat(300)}[MASK].`;
    const r = await run('fill-mask', text, '-b', 'onnx');
    expect(r.code).toBe(EXIT.BAD_INPUT);
    expect(r.err).toMatch(
      /^error: fill-mask: \[MASK\] is token 301 of 305 in "word word .*", but the model reads at most 64 tokens \(max_position_embeddings\) and truncation dropped it: shorten the text or move \[MASK\] into its first 63 tokens$/,
    );
    expect(r.err.length).toBeLessThan(400);
    const none = await run('fill-mask', 'no mask here', '-b', 'onnx');
    expect(none.err).toBe('error: fill-mask: no [MASK] in "no mask here"');
  });

  it('bench on a config with vocab_size 1e12 is a config error (3) naming the parameter, not a RangeError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-vocab-'));
    const cfg = JSON.parse(readFileSync(resolve(here, '../../../models/default/config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, vocab_size: 1e12 }));
    const r = await run('bench', 'infer', '--model', dir, '--backend', 'onnx', '--grid', 'smoke');
    expect(r.code).toBe(EXIT.BAD_INPUT);
    expect(r.err).toMatch(
      /gives parameter albert\.embeddings\.word_embeddings\.weight the shape \[1000000000000, \d+\]: .* bytes as float32, more than the 4294967296 bytes one array can hold/,
    );
  });

  it('vocab_size 1e400 in config.json reports Infinity, naming the file (3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-inf-'));
    writeFileSync(join(dir, 'config.json'), '{"model_type": "albert", "vocab_size": 1e400}');
    const r = await run('info', dir);
    expect(r.code).toBe(EXIT.BAD_INPUT);
    expect(r.err).toBe(
      `error: ${join(dir, 'config.json')}: config.vocab_size = Infinity (the number does not fit a double): expected a positive integer, got number`,
    );
  });

  it("the root README's exit-code line names every code", () => {
    const readme = readFileSync(resolve(here, '../../../README.md'), 'utf8');
    const line = readme.split('\n').find((l) => l.startsWith('Exit codes:'))!;
    const codes = [...line.matchAll(/(\d+) [a-zA-Z]/g)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });
});
