// The one place that imports TensorFlow.js. `@tensorflow/tfjs` (the union package) is imported for
// its side effect: its Node bundle registers every op's gradient with tfjs-core, which tfjs-core's own
// Node bundle does not do. The cpu and wasm backends register themselves on import.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export * as tf from '@tensorflow/tfjs-core';
