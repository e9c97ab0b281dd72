# Step 2 of fixtures/spm-0.2.2 (see its README): sentencepiece 0.2.2's pieces for the candidates of step 1.
# Needs `pip install sentencepiece==0.2.2` (the release transformers installs; the one the hf fixtures were made with).
# Run: python3 scripts/spm-022-reference.py /tmp/spm-candidates.jsonl > fixtures/spm-0.2.2/cases.jsonl
import json, os, struct, sys
import sentencepiece as spm

assert spm.__version__ == '0.2.2', spm.__version__
here = os.path.dirname(os.path.abspath(__file__))
dirs = {'models/default': os.path.join(here, '..', '..', '..', 'models', 'default')}


def model_dir(name):
    return dirs.get(name) or os.path.join(here, '..', 'fixtures', 'hf', 'tokenizers', name)


def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1; r |= (c & 0x7F) << s; s += 7
        if not c & 0x80:
            return r, i


def shifted(data, delta):
    # the same rewrite as src/spm-shift.ts: NORMAL pieces' float32 scores + delta
    b = bytearray(data); i = 0
    while i < len(b):
        tag, i = varint(b, i); wt = tag & 7
        if wt == 0: _, i = varint(b, i)
        elif wt == 5: i += 4
        elif wt == 1: i += 8
        else:
            ln, i = varint(b, i)
            if tag >> 3 == 1:
                j = i; at = None; typ = 1
                while j < i + ln:
                    t, j = varint(b, j)
                    if t & 7 == 2: l2, j = varint(b, j); j += l2
                    elif t & 7 == 5:
                        if t >> 3 == 2: at = j
                        j += 4
                    else:
                        v, j = varint(b, j)
                        if t >> 3 == 3: typ = v
                if at is not None and typ == 1:
                    (v,) = struct.unpack_from('<f', b, at); struct.pack_into('<f', b, at, v + delta)
            i += ln
    return bytes(b)


procs = {}
for line in open(sys.argv[1]):
    c = json.loads(line)
    key = (c['model'], c['shift'])
    if key not in procs:
        data = open(os.path.join(model_dir(c['model']), 'spiece.model'), 'rb').read()
        procs[key] = spm.SentencePieceProcessor(model_proto=shifted(data, c['shift']) if c['shift'] else data)
    c['pieces'] = procs[key].encode(c['text'], out_type=str)
    print(json.dumps(c, ensure_ascii=False))
