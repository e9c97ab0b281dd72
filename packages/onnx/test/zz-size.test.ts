import { bindWeights, readCheckpointDir } from '@albertjs/core';
import { buildAlbertGraph, serializeModel } from '@albertjs/onnx';
import { DEFAULT_GRAPH_OPTIONS } from '../src/model/options.js';
import { onnx } from '../src/graph/proto.js';
import { it } from 'vitest';
it('size', async () => {
  const { config, tensors } = await readCheckpointDir('/work/main/packages/parity-tests/fixtures/hf/models/groups/AlbertModel');
  const { weights } = bindWeights('AlbertModel', config, tensors);
  const { builder } = buildAlbertGraph('AlbertModel', config, weights, { ...DEFAULT_GRAPH_OPTIONS });
  const { model } = serializeModel(builder);
  let nodeBytes = 0, refBytes = 0, initName = 0;
  for (const n of builder.nodes) { nodeBytes += onnx.NodeProto.encode(n).finish().length; for (const i of n.input!) if (builder.initializers.has(i)) refBytes += i.length; }
  for (const k of builder.initializers.keys()) initName += k.length;
  console.log({ total: model.length, init: builder.initializerBytes(), nodes: builder.nodes.length, nodeBytes, refBytes, initName, inits: builder.initializers.size });
});
