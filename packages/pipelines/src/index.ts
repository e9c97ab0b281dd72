export * from './math.js';
export * from './postprocess/feature-extraction.js';
export * from './postprocess/fill-mask.js';
export * from './postprocess/multiple-choice.js';
export * from './postprocess/question-answering.js';
export * from './postprocess/sentence-order.js';
export * from './postprocess/text-classification.js';
export * from './postprocess/token-classification.js';
