// A trie of vocabulary pieces over Unicode code points. Matching whole UTF-8 pieces byte by byte (as sentencepiece's
// Darts trie and tokenizers' Trie do) finds exactly the same prefixes, because a piece always ends on a character.
// Edges live in one open-addressing hash table keyed by (node, code point), so a step is a few integer operations.

const EMPTY = -1;

export class PieceTrie {
  /** values[node]: the piece id ending at this node, or -1. */
  readonly values: number[] = [-1];
  private nodes = 1;
  // The edge table (read directly by the Viterbi loop).
  keyNode = new Int32Array(1024).fill(EMPTY);
  keyCp = new Int32Array(1024);
  child = new Int32Array(1024);
  mask = 1023;
  private size = 0;
  /** Children of the root for BMP code points: the first step of every match is one array read. */
  readonly root = new Int32Array(0x10000).fill(EMPTY);

  static hash(node: number, cp: number): number {
    return (Math.imul(node, 0x9e3779b1) ^ Math.imul(cp, 0x85ebca77)) >>> 0;
  }

  /** The child of node along cp, or -1. */
  next(node: number, cp: number): number {
    if (node === 0 && cp < 0x10000) return this.root[cp]!;
    const { keyNode, keyCp, mask } = this;
    let h = PieceTrie.hash(node, cp) & mask;
    for (;;) {
      const k = keyNode[h]!;
      if (k === EMPTY) return -1;
      if (k === node && keyCp[h] === cp) return this.child[h]!;
      h = (h + 1) & mask;
    }
  }

  private setEdge(node: number, cp: number, child: number): void {
    if (node === 0 && cp < 0x10000) {
      this.root[cp] = child;
      return;
    }
    if ((this.size + 1) * 2 > this.mask) this.grow();
    let h = PieceTrie.hash(node, cp) & this.mask;
    while (this.keyNode[h] !== EMPTY) h = (h + 1) & this.mask;
    this.keyNode[h] = node;
    this.keyCp[h] = cp;
    this.child[h] = child;
    this.size++;
  }

  private grow(): void {
    const { keyNode, keyCp, child } = this;
    const cap = keyNode.length * 2;
    this.keyNode = new Int32Array(cap).fill(EMPTY);
    this.keyCp = new Int32Array(cap);
    this.child = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < keyNode.length; i++) if (keyNode[i] !== EMPTY) this.setEdge(keyNode[i]!, keyCp[i]!, child[i]!);
    // (root BMP edges live in `root` and are not rehashed)
  }

  insert(cps: Iterable<number>, id: number): void {
    let node = 0;
    for (const cp of cps) {
      let n = this.next(node, cp);
      if (n < 0) {
        n = this.nodes++;
        this.values.push(-1);
        this.setEdge(node, cp, n);
      }
      node = n;
    }
    this.values[node] = id;
  }
}
