// Every gradient rule by op type (default ONNX domain).
import { ACTIVATION_RULES } from './activations.js';
import { ELEMENTWISE_RULES } from './elementwise.js';
import { GATHER_RULES } from './gather.js';
import { NORM_RULES } from './layer-norm.js';
import { MATMUL_RULES } from './matmul.js';
import { REDUCE_RULES } from './reduce.js';
import type { GradRule } from './rule.js';
import { SHAPE_RULES } from './shape-ops.js';

export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  ...ELEMENTWISE_RULES,
  ...ACTIVATION_RULES,
  ...MATMUL_RULES,
  ...SHAPE_RULES,
  ...GATHER_RULES,
  ...NORM_RULES,
  ...REDUCE_RULES,
};

export type { GradRule, RuleArgs } from './rule.js';
