// Runs a training step with per-layer recompute (segments.ts): the embeddings forward, every layer
// application's forward keeping only its input hidden state, the head's forward + backward, then each
// layer backward from the last (recomputing the layer from its stored input), then the embeddings'
// backward. The shared layer's gradients are summed over its applications in the layer graph (`acc.*` inputs:
// one onnxruntime Add instead of a host loop, ≈ 22 ms per 7 M floats here). Dropout masks are the
// same as the single training graph's (drawn in site order); seeded masks are drawn again for the
// recompute instead of being kept (an albert-base 8 × 512 step's attention masks alone are 1.2 GB), into one
// reused buffer per kind of site.
import { type AlbertConfig, BackendError, type HeadName, InputError, type WeightMap } from '@albertjs/core';
import type { GraphBuilder } from '../graph/builder.js';
import { serializeModel } from '../graph/serialize.js';
import type { DropoutSite } from '../model/dropout.js';
import {
  createSession,
  firstLine,
  type OrtModule,
  type OrtSession,
  type OrtTensor,
  type SessionConfig,
} from '../runtime/ort.js';
import type { DropoutMasks, RunResult } from './runner.js';
import { buildSegments, type SegmentedGraph } from './segments.js';
import type { Objective } from './training-graph.js';

interface Sessions {
  graph: SegmentedGraph;
  preForward: OrtSession;
  preBackward: OrtSession;
  layerForward: OrtSession;
  layerBackward: OrtSession;
  post: OrtSession;
}

/** Where a step's per-site masks come from: drawn once in site order, kept or (seeded) drawn again. */
class StepMasks {
  private next = 0;
  private readonly kept = new Map<string, Float32Array>();
  private readonly states = new Map<string, number>();
  private readonly buffers = new Map<string, Float32Array>();

  constructor(
    private readonly sites: readonly DropoutSite[],
    private readonly masks: DropoutMasks,
    private readonly rows: number,
    private readonly seq: number,
  ) {}

  get(name: string): { data: Float32Array; dims: number[] } {
    const k = this.sites.findIndex((s) => s.name === name);
    const site = this.sites[k]!;
    const dims = site.shape(this.rows, this.seq); // rows: B, or B·C for multiple choice
    const kept = this.kept.get(name);
    if (kept) return { data: kept, dims };
    const rng = this.masks.rng;
    const state = this.states.get(name);
    if (state !== undefined && rng) {
      const saved = rng.state;
      rng.state = state;
      const data = this.draw(site, dims, true);
      rng.state = saved;
      return { data, dims };
    }
    // Draw every site up to this one, in order (the single graph's order).
    for (; this.next <= k; this.next++) {
      const s = this.sites[this.next]!;
      if (rng) this.states.set(s.name, rng.state);
      const data = this.draw(s, s.shape(this.rows, this.seq), s.name === name && !!rng);
      if (s.name === name) {
        if (!rng) this.kept.set(name, data);
        this.next++;
        return { data, dims };
      }
      this.kept.set(s.name, data);
    }
    throw new Error(`dropout site ${name} was drawn but not kept`);
  }

  /**
   * The mask of `site`; `reuse`: into the buffer of its kind (`dropout.attention_probs` …, one per kind: a run
   * reads each kind once, and the buffer is written again only after that run), not kept.
   */
  private draw(site: DropoutSite, shape: number[], reuse = false): Float32Array {
    const n = shape.reduce((a, b) => a * b, 1);
    let m: Float32Array;
    if (reuse && this.masks.into) {
      const kind = site.name.replace(/\.\d+$/, '');
      let buf = this.buffers.get(kind);
      if (buf?.length !== n) {
        buf = new Float32Array(n);
        this.buffers.set(kind, buf);
      }
      m = this.masks.into(site, shape, buf);
    } else m = this.masks(site, shape);
    if (m.length !== n)
      throw new InputError(
        `dropout mask ${site.name} has ${m.length} values, its shape [${shape.join(', ')}] needs ${n}`,
      );
    return m;
  }
}

export class RecomputeRunner {
  private readonly variants = new Map<string, Promise<Sessions>>();
  private readonly zeroTensors = new Map<string, OrtTensor>();

  constructor(
    private readonly head: HeadName,
    private readonly config: AlbertConfig,
    private readonly weights: WeightMap,
    private readonly ort: OrtModule,
    private readonly sessionConfig: SessionConfig,
    private readonly param: (name: string, shape: number[]) => OrtTensor,
  ) {}

  private variant(key: string, objective: Objective, positionIds: boolean, headMask: boolean, dropout: boolean) {
    let v = this.variants.get(key);
    if (!v) {
      v = (async () => {
        const graph = buildSegments(this.head, this.config, this.weights, {
          objective,
          positionIds,
          headMask,
          dropout,
        });
        const config = {
          ...this.sessionConfig,
          graphOptimizationLevel: this.sessionConfig.graphOptimizationLevel ?? 'all',
        };
        const session = (b: GraphBuilder, what: string) =>
          createSession(this.ort, serializeModel(b).model, config, `the ${what} of ${this.head}`);
        return {
          graph,
          preForward: await session(graph.preForward, 'embeddings forward graph'),
          preBackward: await session(graph.preBackward.builder, 'embeddings backward graph'),
          layerForward: await session(graph.layerForward, 'layer forward graph'),
          layerBackward: await session(graph.layerBackward, 'layer backward graph'),
          post: await session(graph.post.builder, 'head training graph'),
        };
      })();
      v.catch(() => this.variants.delete(key));
      this.variants.set(key, v);
    }
    return v;
  }

  /** A zero tensor of `shape` (shared: onnxruntime never writes its inputs). */
  private zeros(shape: number[]): OrtTensor {
    const key = shape.join('x');
    let t = this.zeroTensors.get(key);
    if (!t) {
      t = new this.ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
      this.zeroTensors.set(key, t);
    }
    return t;
  }

  /** The parameters of a variant's segments (checkpoint name → shape). */
  async params(key: string, objective: Objective, positionIds: boolean, headMask: boolean) {
    return (await this.variant(key, objective, positionIds, headMask, false)).graph.params;
  }

  /**
   * One forward + backward. `data`: the batch and loss / cotangent feeds by graph input name; `rows`, `seq`:
   * the mask shapes' N (B or B·C) and S; `shape`: the inputs' shape for error messages.
   */
  async step(
    key: string,
    objective: Objective,
    positionIds: boolean,
    headMask: boolean,
    data: Record<string, OrtTensor>,
    rows: number,
    seq: number,
    shape: readonly number[],
    fetchFields: boolean,
    masks?: DropoutMasks,
  ): Promise<RunResult> {
    const s = await this.variant(key, objective, positionIds, headMask, !!masks);
    const G = s.graph;
    const stepMasks = masks ? new StepMasks(G.dropout, masks, rows, seq) : undefined;
    const sites = new Set(G.dropout.map((d) => d.name));
    const pre: Record<string, OrtTensor> = {};
    const value = (name: string): OrtTensor => {
      const v = data[name] ?? pre[name];
      if (v) return v;
      const p = G.params.get(name);
      if (p) return this.param(name, p);
      if (sites.has(name)) {
        const m = stepMasks!.get(name);
        return new this.ort.Tensor('float32', m.data, m.dims);
      }
      throw new Error(`no feed for ${name}`);
    };
    const run = async (session: OrtSession, feeds: Record<string, OrtTensor>, fetch: string[], what: string) => {
      for (const name of session.inputNames) feeds[name] ??= value(name);
      try {
        return await session.run(feeds, fetch);
      } catch (e) {
        throw new BackendError(
          `onnxruntime failed running the ${what} of ${this.head} on inputs of shape [${shape.join(', ')}]: ${firstLine(e)}`,
          { cause: e },
        );
      }
    };
    const preOut = await run(s.preForward, {}, G.preOutputs, 'embeddings forward graph');
    Object.assign(pre, preOut);
    // Forward: one layer application at a time, keeping each input.
    const hs: (OrtTensor | undefined)[] = [pre[G.h0]!];
    const layerFeeds = (k: number, h: OrtTensor) => {
      const feeds: Record<string, OrtTensor> = { h };
      for (const [name, actual] of G.applications[k]!) feeds[name] = value(actual);
      return feeds;
    };
    for (let k = 0; k < G.applications.length; k++) {
      const r = await run(s.layerForward, layerFeeds(k, hs[k]!), ['h_out'], `layer forward graph (layer ${k})`);
      hs.push(r.h_out!);
    }
    // Head: loss, fields, d h_L and the head's gradients.
    const postFetch = [
      'loss',
      ...(fetchFields ? G.fields : []),
      ...[...G.post.params.keys()].map((n) => `grad.${n}`),
      'grad.h',
    ];
    const post = await run(s.post, { [G.hLast]: hs.at(-1)! }, postFetch, 'head training graph');
    const grads = new Map<string, Float32Array>();
    const add = (name: string, t: OrtTensor) => {
      const g = t.data as Float32Array;
      const prev = grads.get(name);
      if (!prev) grads.set(name, g);
      else for (let j = 0; j < g.length; j++) prev[j]! += g[j]!;
    };
    for (const n of G.post.params.keys()) add(n, post[`grad.${n}`]!);
    // Backward: each layer recomputed from its stored input, last first; the shared weights' gradients
    // accumulate through the layer graph (acc.<w> in, grad.<w> out), from zeros at each weight's last use.
    let dh = post['grad.h']!;
    const layerFetch = ['grad.h', ...G.layerWeights.map((w) => `grad.${w}`)];
    const shared = new Map<string, OrtTensor>();
    for (let k = G.applications.length - 1; k >= 0; k--) {
      const feeds = layerFeeds(k, hs[k]!);
      feeds['cotangent.h_out'] = dh;
      for (const w of G.layerWeights) {
        const name = G.applications[k]!.get(w)!;
        feeds[`acc.${w}`] = shared.get(name) ?? this.zeros(G.params.get(name)!);
      }
      const r = await run(s.layerBackward, feeds, layerFetch, `layer backward graph (layer ${k})`);
      for (const w of G.layerWeights) shared.set(G.applications[k]!.get(w)!, r[`grad.${w}`]!);
      dh = r['grad.h']!;
      hs[k + 1] = undefined;
    }
    for (const [name, t] of shared) add(name, t);
    const preGrads = await run(
      s.preBackward,
      { [`cotangent.${G.h0}`]: dh },
      [...G.preBackward.params.keys()].map((n) => `grad.${n}`),
      'embeddings backward graph',
    );
    for (const n of G.preBackward.params.keys()) add(n, preGrads[`grad.${n}`]!);
    const out = new Map<string, OrtTensor>();
    for (const [name, shape] of G.params) out.set(name, new this.ort.Tensor('float32', grads.get(name)!, shape));
    const fields: Record<string, Float32Array> = {};
    if (fetchFields) for (const f of G.fields) fields[f] = post[f]!.data as Float32Array;
    return { loss: (post.loss!.data as Float32Array)[0]!, grads: out, fields };
  }

  release(): void {
    for (const v of this.variants.values())
      v.then((x) => {
        for (const s of [x.preForward, x.preBackward, x.layerForward, x.layerBackward, x.post]) s.release();
      }).catch(() => undefined);
    this.variants.clear();
  }
}
