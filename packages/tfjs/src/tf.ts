// The one place that imports TensorFlow.js. `#tf-gradients` (package.json `imports`) registers every op's
// gradient with tfjs-core, which tfjs-core's Node bundle does not do: bundlers (the `browser` condition) get
// tfjs-core's own dist/register_all_gradients; Node gets generated/register-gradients.node.js, that same file
// bundled into one module Node can load (scripts/bundle-gradients.mjs). The cpu and wasm backends register
// themselves on import.
import '#tf-gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export * as tf from '@tensorflow/tfjs-core';
