// Gradient checkpointing (activation recomputation), as transformers' `gradient_checkpointing_enable()`:
// a checkpointed function keeps only its inputs on the gradient tape and runs again inside the backward
// pass to get its gradients, so a training step holds one layer's activations at a time instead of every
// layer's. Ports the idea of torch.utils.checkpoint as GradientCheckpointingLayer uses it:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/modeling_layers.py#L52 (class GradientCheckpointingLayer)
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/modeling_utils.py#L3106 (def gradient_checkpointing_enable)
import { customGrad } from '../custom-grad.js';
import type { ParamInput } from '../params.js';
import { tf } from '../tf.js';

/**
 * Gradients of `f()` with respect to `xs`, seeded with `dy`, computed while another gradient's backward
 * pass runs. tfjs keeps one global tape: a gradient started at depth 0 replaces it and, when done, frees
 * its own saved tensors and clears it, so the outer tape is put back afterwards. Inputs `f` does not use
 * get zero gradients.
 */
function gradientsInBackward(f: () => tf.Tensor, xs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  const engine = tf.engine();
  const outerTape = engine.state.activeTape;
  try {
    const { value, grads } = engine.gradients(f, xs, dy, true);
    value.dispose();
    return xs.map((x, i) => grads[i] ?? tf.zerosLike(x));
  } finally {
    engine.state.activeTape = outerTape;
  }
}

/** What a checkpointed layer computes: its output from its input, its parameters and constant masks. */
export type LayerFn = (x: tf.Tensor, params: tf.Tensor[], constants: tf.Tensor[]) => tf.Tensor;

/**
 * Checkpointed layer applications of one run. Each application keeps (by reference) only its input,
 * its masks and its parameters on the tape; its backward pass runs the layer again and differentiates
 * that. The parameters' gradients do not go back through the tape once per application (tfjs frees a
 * backward pass's intermediate gradients only when the whole pass ends, so a shared ALBERT layer's
 * 12 applications would hold 12 copies of its weight gradients): they are summed here, and `entry()`,
 * an identity on the encoder input that takes every parameter, hands the sums to the tape; its backward
 * runs after every layer's.
 */
export class LayerCheckpointing {
  private readonly sums = new Map<string, tf.Tensor>();

  /** @param params every parameter input of every checkpointed layer (ParamStore.inputsUnder), unique names */
  constructor(private readonly params: readonly ParamInput[]) {}

  /** Identity on the encoder input, recorded before the layers: its backward returns the summed parameter gradients. */
  entry(hidden: tf.Tensor): tf.Tensor {
    const forward = (x: tf.Tensor) => ({
      value: tf.clone(x),
      gradFunc: (g: tf.Tensor) => {
        return [tf.clone(g), ...this.params.map((p) => this.take(p.name) ?? tf.zeros(p.tensor.shape))];
      },
    });
    return customGrad(forward)(hidden, ...this.params.map((p) => p.tensor));
  }

  /**
   * `layer(x, params, constants)`, recomputed in the backward pass. `layer` must be deterministic (its
   * dropout seeded from a value fixed before the call) so the recompute matches the forward.
   * @param params this layer's entries of the constructor's list
   */
  apply(layer: LayerFn, x: tf.Tensor, params: readonly ParamInput[], constants: tf.Tensor[]): tf.Tensor {
    const tensors = params.map((p) => p.tensor);
    const nc = constants.length;
    const forward = (input: tf.Tensor, save: tf.GradSaveFunc) => {
      // Runs inside the op: tfjs records nothing on the tape here and frees the layer's intermediates at once.
      save([input, ...constants, ...tensors]);
      return {
        value: layer(input, tensors, constants),
        gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => {
          const xs = saved[0]!;
          const cs = saved.slice(1, 1 + nc);
          const ps = saved.slice(1 + nc);
          const [dx, ...dps] = gradientsInBackward(() => layer(xs, ps, cs), [xs, ...ps], g);
          for (let i = 0; i < dps.length; i++) this.accumulate(params[i]!.name, dps[i]!);
          return [dx!];
        },
      };
    };
    return customGrad(forward)(x);
  }

  private accumulate(name: string, g: tf.Tensor): void {
    const prev = this.sums.get(name);
    if (!prev) {
      this.sums.set(name, g);
      return;
    }
    this.sums.set(name, tf.add(prev, g));
    prev.dispose();
    g.dispose();
  }

  private take(name: string): tf.Tensor | undefined {
    const g = this.sums.get(name);
    this.sums.delete(name);
    return g;
  }
}
