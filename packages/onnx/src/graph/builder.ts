// A small ONNX graph builder: named inputs/outputs, initializers stored once by name, constants
// deduplicated by value, nodes with typed attributes. It produces a ModelProto (see serialize.ts).
import { type Attr, t, toAttributeProto } from './attrs.js';
import {
  ELEM_BYTES,
  ELEM_TO_ONNX,
  type Elem,
  type FunctionProto,
  IR_VERSION,
  LOCAL_DOMAIN,
  MS_DOMAIN,
  MS_OPSET,
  type NodeProto,
  OPSET,
  type ValueInfoProto,
} from './proto.js';

/** A dimension: a fixed size or a symbolic name ('batch', 'sequence'). */
export type Dim = number | string;

export interface Initializer {
  name: string;
  elem: Elem;
  dims: number[];
  /** Little-endian element bytes. */
  bytes: Uint8Array;
}

export interface OpOptions {
  domain?: string;
  /** Number of outputs (default 1). */
  outputs?: number;
  /** Explicit output names (instead of generated ones). */
  names?: string[];
}

export interface ValueInfo {
  name: string;
  elem: Elem;
  dims: Dim[];
}

/** Bytes of a typed array, little-endian as ONNX raw_data wants (every platform Node runs on is LE). */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers = new Map<string, Initializer>();
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  readonly functions: FunctionProto[] = [];
  private readonly consts = new Map<string, string>();
  private readonly used = new Set<string>();
  private counter = 0;
  protected usesMs = false;
  private usesLocal = false;
  private scopeName = '';

  /** `debugNames`: readable value names (`layer.3.0/MatMul_12`) instead of short ones. */
  constructor(
    readonly name = 'albert',
    readonly debugNames = false,
  ) {}

  /** Runs `fn` with node/value names prefixed by `scope` (`encoder.layer.3/MatMul_12`). */
  scoped<T>(scope: string, fn: () => T): T {
    const prev = this.scopeName;
    this.scopeName = scope;
    try {
      return fn();
    } finally {
      this.scopeName = prev;
    }
  }

  input(name: string, elem: Elem, dims: Dim[]): string {
    this.inputs.push({ name, elem, dims });
    this.used.add(name);
    return name;
  }

  /** Declares `value` a graph output called `name` (an Identity is inserted when the names differ). */
  output(name: string, value: string, elem: Elem, dims: Dim[]): void {
    if (value !== name) this.op('Identity', [value], {}, { names: [name] });
    this.outputs.push({ name, elem, dims });
  }

  /** An initializer stored once: a second call with the same name returns the same value. */
  initializer(name: string, elem: Elem, dims: readonly number[], data: ArrayBufferView): string {
    const prev = this.initializers.get(name);
    if (prev) {
      if (prev.dims.length !== dims.length || prev.dims.some((d, k) => d !== dims[k])) {
        throw new Error(`initializer ${name} declared twice with shapes [${prev.dims}] and [${dims}]`);
      }
      return name;
    }
    const n = dims.reduce((a, b) => a * b, 1);
    if (n * ELEM_BYTES[elem] !== data.byteLength)
      throw new Error(
        `initializer ${name}: [${dims}] ${elem} needs ${n * ELEM_BYTES[elem]} bytes, got ${data.byteLength}`,
      );
    this.initializers.set(name, { name, elem, dims: [...dims], bytes: bytesOf(data) });
    this.used.add(name);
    return name;
  }

  hasInitializer(name: string): boolean {
    return this.initializers.has(name);
  }

  /** An int64 constant (1-D unless `dims` given), shared by every node that uses the same values. */
  i64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant('int64', values, dims, () => BigInt64Array.from(values, (v) => BigInt(v)));
  }

  /** A float32 constant (a scalar unless `dims` given). */
  f32(values: number | readonly number[], dims?: readonly number[]): string {
    const vs = typeof values === 'number' ? [values] : values;
    return this.constant('float32', vs, dims ?? (typeof values === 'number' ? [] : [vs.length]), () =>
      Float32Array.from(vs),
    );
  }

  protected constant(
    elem: Elem,
    values: readonly number[],
    dims: readonly number[],
    make: () => ArrayBufferView,
  ): string {
    const key = `${elem}[${dims}]:${values.join(',')}`;
    const hit = this.consts.get(key);
    if (hit) return hit;
    const name = this.makeConstant(elem, dims, make());
    this.consts.set(key, name);
    return name;
  }

  /** Graphs keep constants as initializers. */
  protected makeConstant(elem: Elem, dims: readonly number[], data: ArrayBufferView): string {
    return this.initializer(this.fresh(`const_${elem}`), elem, dims, data);
  }

  /**
   * Defines a model-local function (FunctionProto) whose body `build` emits with a FunctionBuilder:
   * ALBERT's shared layer is written once and called once per layer application.
   */
  defineFunction(name: string, inputs: readonly string[], build: (fb: FunctionBuilder) => string[]): void {
    const fb = new FunctionBuilder(name, this.debugNames);
    for (const i of inputs) fb.input(i, 'float32', []);
    const outputs = build(fb);
    this.functions.push({
      name,
      domain: LOCAL_DOMAIN,
      input: [...inputs],
      output: outputs,
      node: fb.nodes,
      opsetImport: fb.opsets(),
    });
    this.usesLocal = true;
  }

  /** A call of a function defined by defineFunction. */
  call(name: string, inputs: readonly string[], outputs: number): string[] {
    return this.opN(name, inputs, {}, { domain: LOCAL_DOMAIN, outputs });
  }

  /** Adds one node; returns its first output. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, options: OpOptions = {}): string {
    return this.opN(opType, inputs, attrs, options)[0]!;
  }

  /** Adds one node; returns all its outputs. Empty-string inputs mark omitted optional inputs. */
  opN(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, options: OpOptions = {}): string[] {
    const nOut = options.names?.length ?? options.outputs ?? 1;
    const outputs = options.names ?? Array.from({ length: nOut }, () => this.fresh(opType));
    for (const o of options.names ?? []) {
      if (this.used.has(o)) throw new Error(`value name ${o} is produced twice`);
      this.used.add(o);
    }
    if (options.domain === MS_DOMAIN) this.usesMs = true;
    // Nodes stay unnamed and values get short names: in a 12-layer model the graph structure, not the
    // weights, would otherwise dominate a small model's file.
    this.nodes.push({
      opType,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attrs).map(([k, a]) => toAttributeProto(k, a)),
      ...(options.domain ? { domain: options.domain } : {}),
    });
    return outputs;
  }

  /**
   * Appends an already-built node (graph rewrites: inlining, autodiff); its outputs are registered so
   * fresh names never collide with them.
   */
  addNode(node: NodeProto): void {
    for (const o of node.output ?? []) this.used.add(o);
    if (node.domain === MS_DOMAIN) this.usesMs = true;
    this.nodes.push(node);
  }

  /** A new value name: `<scope>/<n>` in debug mode, else a short base-36 counter. */
  fresh(kind: string): string {
    let name: string;
    do
      name = this.debugNames
        ? `${this.scopeName ? `${this.scopeName}/` : ''}${kind}_${this.counter++}`
        : `_${(this.counter++).toString(36)}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  /** Total bytes of every initializer. */
  initializerBytes(): number {
    let n = 0;
    for (const t of this.initializers.values()) n += t.bytes.byteLength;
    return n;
  }

  /** Opset imports this graph needs. */
  opsets(): { domain: string; version: number }[] {
    const o = [{ domain: '', version: OPSET }];
    if (this.usesMs) o.push({ domain: MS_DOMAIN, version: MS_OPSET });
    if (this.usesLocal) o.push({ domain: LOCAL_DOMAIN, version: 1 });
    return o;
  }

  static valueInfo(v: ValueInfo): ValueInfoProto {
    return {
      name: v.name,
      type: {
        tensorType: {
          elemType: ELEM_TO_ONNX[v.elem],
          shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    };
  }

  static irVersion = IR_VERSION;
}

/** The body of a model-local function: formal inputs, constants as Constant nodes, no initializers. */
export class FunctionBuilder extends GraphBuilder {
  protected override makeConstant(elem: Elem, dims: readonly number[], data: ArrayBufferView): string {
    const value = { dataType: ELEM_TO_ONNX[elem], dims: [...dims], rawData: bytesOf(data) };
    return this.op('Constant', [], { value: t(value) });
  }

  override initializer(name: string): string {
    throw new Error(`function ${this.name} cannot hold initializer ${name}: pass it as an input`);
  }
}
