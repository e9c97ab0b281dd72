// What from_pretrained does with the weights a checkpoint lacks for the model class (a classifier on a base or MLM
// checkpoint) or has with another shape (ignore_mismatched_sizes): fresh values from `_init_weights`, a load report,
// and transformers' warning. Seeded (mulberry32), the same values on every platform.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/modeling_utils.py (_load_pretrained_model: "Some weights of … were not initialized")
import type { AlbertConfig } from './config.js';
import type { HeadName } from './heads/names.js';
import { headParams, untiedDecoderParam } from './heads/spec.js';
import { initParamData, mulberry32 } from './random.js';
import { shapeStr, Tensor } from './tensor.js';
import type { LoadReport, WeightMap } from './weights.js';

/**
 * `weights` plus `_init_weights` values for `names`, drawn in the model's parameter order from mulberry32(seed),
 * as raw tensors (checkpoint names) to bind again.
 */
export function withInitializedWeights(
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  names: readonly string[],
  seed = 0,
): Map<string, Tensor> {
  const out = new Map<string, Tensor>(weights.tensors);
  const want = new Set(names);
  const rand = mulberry32(seed);
  const params = headParams(head, config);
  const untied = untiedDecoderParam(head, config);
  if (untied) params.push(untied);
  for (const p of params) {
    if (!want.has(p.name)) continue;
    out.set(p.name, new Tensor('float32', initParamData(p, config, rand, 'init'), p.shape));
  }
  return out;
}

/**
 * transformers' warnings for newly initialized weights (empty when there are none). Unused checkpoint weights (the
 * MLM head when loading a classifier) stay in the report only: loading a head from a pretraining checkpoint is routine.
 */
export function loadWarnings(head: HeadName, source: string, report: LoadReport): string[] {
  const lines: string[] = [];
  const mismatched = new Set(report.mismatched.map((m) => m.name));
  const fresh = report.newlyInitialized.filter((n) => !mismatched.has(n));
  if (fresh.length)
    lines.push(
      `Some weights of ${head} were not initialized from the model checkpoint at ${source} and are newly initialized: [${fresh.join(', ')}]\nYou should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.`,
    );
  if (report.mismatched.length)
    lines.push(
      `Some weights of ${head} were not initialized from the model checkpoint at ${source} and are newly initialized because the shapes did not match:\n${report.mismatched.map((m) => `- ${m.name}: found shape ${shapeStr(m.checkpoint)} in the checkpoint and ${shapeStr(m.model)} in the model instantiated`).join('\n')}\nYou should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.`,
    );
  return lines;
}
