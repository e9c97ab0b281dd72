// Inlines the model-local functions (the shared ALBERT layer, `albertjs.AlbertLayer`) into the main
// graph: every call becomes a copy of the function body with fresh value names, so reverse-mode
// differentiation sees one flat node list and each layer application's activations by name.
import type { GraphBuilder } from '../graph/builder.js';
import { LOCAL_DOMAIN, type NodeProto } from '../graph/proto.js';

/** Replaces every call of a local function in `g` by the function's body; drops the functions. */
export function inlineFunctions(g: GraphBuilder): void {
  const fns = new Map(g.functions.map((f) => [f.name!, f]));
  const flat: NodeProto[] = [];
  for (const node of g.nodes) {
    if (node.domain !== LOCAL_DOMAIN) {
      flat.push(node);
      continue;
    }
    const fn = fns.get(node.opType!);
    if (!fn) throw new Error(`call of unknown local function ${node.opType}`);
    const rename = new Map<string, string>();
    for (const [k, formal] of (fn.input ?? []).entries()) rename.set(formal, node.input?.[k] ?? '');
    for (const [k, out] of (fn.output ?? []).entries()) {
      const actual = node.output?.[k];
      if (actual) rename.set(out, actual);
    }
    const name = (v: string) => {
      if (v === '') return v;
      let r = rename.get(v);
      if (r === undefined) {
        r = g.fresh('inl');
        rename.set(v, r);
      }
      return r;
    };
    for (const b of fn.node ?? [])
      flat.push({ ...b, input: (b.input ?? []).map(name), output: (b.output ?? []).map(name) });
  }
  g.nodes.length = 0;
  g.nodes.push(...flat);
  g.functions.length = 0;
}
