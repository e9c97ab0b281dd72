#!/usr/bin/env bash
# The fine-tuning demonstration of README.md, from the repository root: builds the two WordNet datasets, measures the
# held-out metrics of the default model with a fresh head (--max-steps 0) and after fine-tuning, exports the fine-tuned
# models to ONNX and compares the held-out predictions of tfjs, onnx (the exported file) and webgpu.
# The smoke test (apps/cli/test/finetune-demo.test.ts) runs it reduced: WORDNET=<a WordNet-format sample>, HELD_OUT,
# TRAIN_SIZE, SUPERSENSE_STEPS, HEADWORD_STEPS and BATCH_SIZE small; the defaults are the documented run.
set -euo pipefail
DATA=${DATA:-/tmp/wordnet-tasks}
OUT=${OUT:-/tmp/wordnet-finetune}
albert() { node --conditions=@albertjs/source --import tsx apps/cli/src/bin.ts "$@"; }
node --import tsx models/default/finetune/data.ts --out "$DATA" --train-size "${TRAIN_SIZE:-12000}" \
  --held-out "${HELD_OUT:-1000}" ${WORDNET:+--wordnet "$WORDNET"}
common=(--seed 0 --batch-size "${BATCH_SIZE:-16}" --max-length 40 --warmup-ratio 0.1 --weight-decay 0.01 --logging-steps 50 --overwrite-output-dir)

albert train text-classification --train-file "$DATA/supersense" --eval-file "$DATA/supersense/test.jsonl" \
  -o "$OUT/supersense-before" --max-steps 0 "${common[@]}" --json
albert train text-classification --train-file "$DATA/supersense" --eval-file "$DATA/supersense/test.jsonl" \
  -o "$OUT/supersense" --max-steps "${SUPERSENSE_STEPS:-200}" --lr 2e-3 "${common[@]}" --json

albert train token-classification --train-file "$DATA/headword" --eval-file "$DATA/headword/test.jsonl" \
  -o "$OUT/headword-before" --max-steps 0 "${common[@]}" --json
albert train token-classification --train-file "$DATA/headword" --eval-file "$DATA/headword/test.jsonl" \
  -o "$OUT/headword" --max-steps "${HEADWORD_STEPS:-150}" --lr 2e-3 "${common[@]}" --json

for task in supersense headword; do
  head=$([ $task = supersense ] && echo AlbertForSequenceClassification || echo AlbertForTokenClassification)
  albert export-onnx --model "$OUT/$task" --head $head --out "$OUT/$task/model.onnx"
  VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json} \
    node --conditions=@albertjs/source --import tsx models/default/finetune/agree.ts "$OUT/$task" "$DATA/$task/test.jsonl"
done
