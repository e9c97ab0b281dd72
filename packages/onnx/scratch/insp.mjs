import fs from 'node:fs';
import * as ort from 'onnxruntime-node';

const dir = '/work/main/packages/parity-tests/fixtures/hf/onnx/';
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.onnx'))) {
  const s = await ort.InferenceSession.create(dir + f);
  console.log(f, s.inputNames, s.outputNames, JSON.stringify(s.inputMetadata), JSON.stringify(s.outputMetadata));
  const b = fs.readFileSync(dir + f.replace('.onnx', '.io.safetensors'));
  const n = Number(b.readBigUInt64LE(0));
  const h = JSON.parse(b.subarray(8, 8 + n).toString());
  for (const [k, v] of Object.entries(h)) if (k !== '__metadata__') console.log('  ', k, v.dtype, v.shape);
}
