// Which parameters AdamW decays: transformers' Trainer excludes biases and LayerNorm weights from weight
// decay (get_decay_parameter_names).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/trainer.py (get_decay_parameter_names)
export function decays(name: string): boolean {
  return !(name.endsWith('.bias') || /LayerNorm|layer_norm/.test(name));
}
