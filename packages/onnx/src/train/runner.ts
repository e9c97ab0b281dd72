// Runs training graphs on onnxruntime: one session per graph variant (objective, position_ids,
// head_mask), the parameters held as onnxruntime tensors between steps (created once from the weights,
// replaced only by the optimizer), and the batch, labels and cotangents fed per call.
import {
  type AlbertConfig,
  BackendError,
  HEADS,
  type HeadName,
  InputError,
  type Mulberry32,
  type PreparedInputs,
  Tensor,
  WeightMap,
} from '@albertjs/core';
import { serializeModel } from '../graph/serialize.js';
import { type DropoutSite, dropoutMask } from '../model/dropout.js';
import { type Feeds, toFeeds } from '../runtime/feeds.js';
import {
  createSession,
  firstLine,
  type OrtModule,
  type OrtSession,
  type OrtTensor,
  type SessionConfig,
} from '../runtime/ort.js';
import { type LossFeeds, lossTerms } from './loss-terms.js';
import { RecomputeRunner } from './recompute.js';
import { buildTrainingGraph, type Objective } from './training-graph.js';

export interface TrainingVariant {
  session: OrtSession;
  params: Map<string, number[]>;
  fields: string[];
  dropout: readonly DropoutSite[];
}

/**
 * The mask of one dropout site for this step's shape (model/dropout.ts: 0 or 1/(1-rate) per element).
 * `rng`: the generator the masks are drawn from, if any (recompute draws a site again from its saved state);
 * `into`: the same draw written into a given array of the mask's size.
 */
export type DropoutMasks = ((site: DropoutSite, shape: number[]) => Float32Array) & {
  rng?: Mulberry32;
  into?: (site: DropoutSite, shape: number[], out: Float32Array) => Float32Array;
};

/** Masks drawn in site order from `rng` (the same state, the same masks). */
export function seededMasks(rng: Mulberry32): DropoutMasks {
  return Object.assign((site: DropoutSite, shape: number[]) => dropoutMask(site, shape, rng), {
    rng,
    into: (site: DropoutSite, shape: number[], out: Float32Array) => dropoutMask(site, shape, rng, out),
  });
}

export interface RunResult {
  loss: number;
  /** d loss / d parameter by checkpoint name, as onnxruntime tensors (checkpoint layout). */
  grads: Map<string, OrtTensor>;
  /** The head's output fields (flat). */
  fields: Record<string, Float32Array>;
}

export class TrainingRunner {
  private readonly variants = new Map<string, Promise<TrainingVariant>>();
  /** Current parameter values by checkpoint name (onnxruntime tensors, fed to every step). */
  readonly params = new Map<string, OrtTensor>();

  /** Per-layer recompute (gradient checkpointing, recompute.ts) for gradients and training steps. */
  private readonly segmented: RecomputeRunner | undefined;

  constructor(
    readonly head: HeadName,
    readonly config: AlbertConfig,
    private readonly weights: WeightMap,
    readonly ort: OrtModule,
    readonly sessionConfig: SessionConfig,
    readonly gradientCheckpointing = false,
  ) {
    this.segmented = gradientCheckpointing
      ? new RecomputeRunner(head, config, weights, ort, sessionConfig, (n, s) => this.param(n, s))
      : undefined;
  }

  variant(
    objective: Objective,
    positionIds: boolean,
    headMask: boolean,
    withGrads = true,
    dropout = false,
    gradsOnDevice = false,
  ): Promise<TrainingVariant> {
    const key = `${variantKey(objective, positionIds, headMask, withGrads, dropout)}|${gradsOnDevice}`;
    let v = this.variants.get(key);
    if (!v) {
      v = (async () => {
        const graph = buildTrainingGraph(this.head, this.config, this.weights, {
          objective,
          positionIds,
          headMask,
          withGrads,
          dropout,
        });
        // gradsOnDevice: the gradients stay on the GPU (DeviceAdamW reads them there)
        const location = gradsOnDevice
          ? {
              preferredOutputLocation: Object.fromEntries(
                [...graph.params.keys()].map((n) => [`grad.${n}`, 'gpu-buffer' as const]),
              ),
            }
          : {};
        const session = await createSession(
          this.ort,
          serializeModel(graph.builder).model,
          {
            ...this.sessionConfig,
            ...location,
            graphOptimizationLevel: this.sessionConfig.graphOptimizationLevel ?? 'all',
          },
          `the training graph of ${this.head}`,
        );
        return { session, params: graph.params, fields: graph.fields, dropout: graph.dropout };
      })();
      v.catch(() => this.variants.delete(key));
      this.variants.set(key, v);
    }
    return v;
  }

  /** The onnxruntime tensor of parameter `name` (created from the weights on first use). */
  param(name: string, shape: number[]): OrtTensor {
    let t = this.params.get(name);
    if (!t) {
      const data = new WeightMap(this.weights.tensors).f32(name, shape).data;
      t = new this.ort.Tensor('float32', new Float32Array(data), shape);
      this.params.set(name, t);
    }
    return t;
  }

  /**
   * One forward + backward on prepared inputs; `cotangents` (AlbertModel) instead of labels. `mode`:
   * 'grads' fetches the loss and the gradients, 'all' the head's fields too, 'eval' runs the forward
   * graph only (loss and fields, no gradients), 'device' as 'grads' with the gradients left on the GPU
   * (onnxruntime-web 'gpu-buffer' tensors the caller disposes; not with gradient checkpointing). `masks`:
   * dropout as in training, each site's mask from `masks` in site order (without it, no dropout: the model
   * as in evaluation).
   */
  async step(
    p: PreparedInputs,
    cotangents?: Record<string, Tensor<Float32Array>>,
    mode: 'grads' | 'all' | 'eval' | 'device' = 'all',
    masks?: DropoutMasks,
  ): Promise<RunResult> {
    if (p.inputsEmbeds) throw new InputError(`${this.head}: training graphs take input_ids, not inputs_embeds`);
    let objective: Objective;
    let extra: LossFeeds;
    if (cotangents && Object.keys(cotangents).length) {
      const names = Object.keys(cotangents).sort();
      this.checkCotangents(p, cotangents);
      objective = { cotangents: names };
      extra = {};
      for (const name of names)
        extra[`cotangent.${name}`] = { data: cotangents[name]!.data, dims: [...cotangents[name]!.shape] };
    } else {
      if (this.head === 'AlbertModel')
        throw new InputError('AlbertModel: gradients need cotangents (last_hidden_state and/or pooler_output)');
      const l = lossTerms(p);
      objective = { terms: l.terms };
      extra = l.feeds;
    }
    const headMask = p.headMask;
    const L = this.config.num_hidden_layers;
    const data: Feeds = {
      ...toFeeds(p, headMask && { data: headMask, dims: [L, this.config.num_attention_heads] }),
      ...extra,
    };
    const feeds: Record<string, OrtTensor> = {};
    for (const [name, { data: d, dims }] of Object.entries(data)) feeds[name] = new this.ort.Tensor(d, dims);
    if (this.segmented && mode === 'device')
      throw new BackendError('gradients on the device (DeviceAdamW) do not combine with gradient checkpointing');
    if (this.segmented && mode !== 'eval') {
      const key = `${variantKey(objective, p.hasPositionIds, !!headMask, true, !!masks)}`;
      const shape = [...p.lead, p.seq];
      return this.segmented.step(
        key,
        objective,
        p.hasPositionIds,
        !!headMask,
        feeds,
        p.batch,
        p.seq,
        shape,
        mode === 'all',
        masks,
      );
    }
    const v = await this.variant(objective, p.hasPositionIds, !!headMask, mode !== 'eval', !!masks, mode === 'device');
    for (const [name, shape] of v.params) feeds[name] = this.param(name, shape);
    for (const site of v.dropout) {
      const shape = site.shape(p.batch, p.seq); // p.batch: B, or B·C rows for multiple choice
      const m = masks!(site, shape);
      if (m.length !== shape.reduce((a, b) => a * b, 1))
        throw new InputError(
          `dropout mask ${site.name} has ${m.length} values, its shape [${shape.join(', ')}] needs ${shape.reduce((a, b) => a * b, 1)}`,
        );
      feeds[site.name] = new this.ort.Tensor('float32', m, shape);
    }
    let r: Awaited<ReturnType<OrtSession['run']>>;
    try {
      const fetch = [
        'loss',
        ...(mode === 'grads' || mode === 'device' ? [] : v.fields),
        ...(mode === 'eval' ? [] : [...v.params.keys()].map((n) => `grad.${n}`)),
      ];
      r = await v.session.run(feeds, fetch);
    } catch (e) {
      throw new BackendError(
        `onnxruntime failed running the training graph of ${this.head} on inputs of shape [${[...p.lead, p.seq].join(', ')}]: ${firstLine(e)}`,
        { cause: e },
      );
    }
    const grads = new Map<string, OrtTensor>();
    if (mode !== 'eval') for (const name of v.params.keys()) grads.set(name, r[`grad.${name}`]!);
    const fields: Record<string, Float32Array> = {};
    if (mode === 'all' || mode === 'eval') for (const f of v.fields) fields[f] = r[f]!.data as Float32Array;
    return { loss: (r.loss!.data as Float32Array)[0]!, grads, fields };
  }

  /** Every cotangent names an output field of the head and has its shape. */
  private checkCotangents(p: PreparedInputs, cotangents: Record<string, Tensor<Float32Array>>): void {
    const H = this.config.hidden_size;
    const shapes: Record<string, number[]> = {
      last_hidden_state: [p.batch, p.seq, H],
      pooler_output: [p.batch, H],
    };
    const names = HEADS[this.head].fields.map((f) => f.name);
    for (const [name, t] of Object.entries(cotangents)) {
      const want = shapes[name];
      if (!names.includes(name) || !want)
        throw new InputError(`cotangent ${name} names no output of ${this.head} (${names.join(', ')})`);
      if (t.shape.length !== want.length || t.shape.some((d, k) => d !== want[k]))
        throw new InputError(`cotangent ${name} has shape [${t.shape.join(', ')}], output is [${want.join(', ')}]`);
    }
  }

  /** Every parameter of the head's training graph, created now (the optimizer updates them in place). */
  async allParams(p: PreparedInputs): Promise<Map<string, OrtTensor>> {
    const objective = { terms: lossTerms(p).terms };
    const params = this.segmented
      ? await this.segmented.params(
          variantKey(objective, p.hasPositionIds, !!p.headMask, true, false),
          objective,
          p.hasPositionIds,
          !!p.headMask,
        )
      : (await this.variant(objective, p.hasPositionIds, !!p.headMask)).params;
    for (const [name, shape] of params) this.param(name, shape);
    return this.params;
  }

  release(): void {
    for (const t of this.params.values()) if (t.location === 'gpu-buffer') t.dispose(); // DeviceAdamW's
    this.segmented?.release();
    for (const v of this.variants.values()) v.then((x) => x.session.release()).catch(() => undefined);
    this.variants.clear();
  }
}

/** The cache key of a training graph variant. */
function variantKey(
  objective: Objective,
  positionIds: boolean,
  headMask: boolean,
  withGrads: boolean,
  dropout: boolean,
): string {
  const what = 'terms' in objective ? objective.terms.map((t) => `${t.kind}:${t.field}`) : objective.cotangents;
  return `${what.join(',')}|${positionIds}|${headMask}|${withGrads}|${dropout}`;
}

/**
 * A session output as core's Tensor, sharing its data: onnxruntime's run results are fresh arrays the
 * caller owns (copied out of the session), so a second copy of 47 MB of albert-base gradients is not needed.
 */
export function toCoreTensor(t: OrtTensor): Tensor<Float32Array> {
  return new Tensor('float32', t.data as Float32Array, [...t.dims]);
}
