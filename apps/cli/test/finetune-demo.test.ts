// The fine-tuning demonstration (models/default/finetune/run.sh) cannot rot: the script itself runs, reduced to a
// WordNet-format sample shipped in the repository (test-wordnet/: our own sentences, so CI needs no Debian package),
// 8 held-out synsets, 2 optimizer steps per task. Every step of the documented run happens: data.ts builds both
// datasets, `albert train` evaluates the fresh head and fine-tunes, `albert export-onnx` exports, agree.ts runs the
// held-out set on tfjs, onnx (the exported file) and webgpu; then each output folder loads on every backend here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Backend, type HeadName, loadPretrained } from '@albertjs/core';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TASKS = [
  ['supersense', 'AlbertForSequenceClassification'],
  ['headword', 'AlbertForTokenClassification'],
] as const satisfies readonly (readonly [string, HeadName])[];

describe('the fine-tuning demonstration (run.sh, reduced)', () => {
  it('builds the data, trains, exports, and every backend predicts the same on the held-out set', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'albert-finetune-demo-'));
    const [data, out] = [join(tmp, 'data'), join(tmp, 'out')];
    const r = spawnSync('bash', ['models/default/finetune/run.sh'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 400_000,
      env: {
        ...process.env,
        DATA: data,
        OUT: out,
        WORDNET: 'models/default/finetune/test-wordnet',
        HELD_OUT: '8',
        TRAIN_SIZE: '30',
        SUPERSENSE_STEPS: '2',
        HEADWORD_STEPS: '2',
        BATCH_SIZE: '4',
      },
    });
    expect(r.status, `${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`).toBe(0);
    expect(JSON.parse(readFileSync(join(data, 'source.json'), 'utf8'))).toMatchObject({ heldOutSynsets: 8 });
    for (const [task, head] of TASKS) {
      const before = JSON.parse(readFileSync(join(out, `${task}-before`, 'all_results.json'), 'utf8'));
      expect(before.eval_loss, task).toBeGreaterThan(0);
      const state = JSON.parse(readFileSync(join(out, task, 'trainer_state.json'), 'utf8'));
      expect(state.global_step, task).toBe(2);
      const agree = JSON.parse(readFileSync(join(out, task, 'agree.json'), 'utf8'));
      expect(agree.predictions, task).toBeGreaterThan(0);
      const backends = Object.entries(agree.backends) as [string, { differFromTfjs: number }][];
      expect(backends.map(([name]) => name.split(' ')[0])).toEqual(['tfjs', 'onnx', 'webgpu']);
      for (const [name, b] of backends) expect(b.differFromTfjs, `${task} ${name}`).toBe(0);

      // the folder as every backend loads it (agree.ts ran the exported file on onnx; here the safetensors)
      const m = await loadPretrained(join(out, task), head);
      expect(m.report.newlyInitialized, task).toEqual([]);
      const tok = await AlbertTokenizerFast.fromPretrained(join(out, task));
      const enc = tok.call('the dog ran home quickly', { returnTensors: 'int64' });
      const inputs = { input_ids: enc.input_ids, attention_mask: enc.attention_mask };
      const created: Backend[] = [
        await (await import('@albertjs/tfjs')).createBackend({ runtime: 'cpu' }),
        await (await import('@albertjs/onnx')).createBackend(),
        await (await import('@albertjs/webgpu')).createBackend(),
      ];
      const logits: Float32Array[] = [];
      for (const be of created) {
        const model = await be.loadModel(head, m.config, m.weights);
        logits.push((await model.forward(inputs)).logits.data as Float32Array);
        model.dispose();
        await be.dispose?.();
      }
      for (const l of logits.slice(1)) {
        expect(l.length).toBe(logits[0]!.length);
        for (let i = 0; i < l.length; i++) expect(Math.abs(l[i]! - logits[0]![i]!)).toBeLessThan(1e-4);
      }
    }
  }, 480_000);
});
