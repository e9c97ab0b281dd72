// A trie of vocabulary pieces over Unicode code points. Matching whole UTF-8 pieces byte by byte (as sentencepiece's
// Darts trie and tokenizers' Trie do) finds exactly the same prefixes, because a piece always ends on a character.

export class PieceTrie {
  /** children[node] maps a code point to the child node. */
  readonly children: Map<number, number>[] = [new Map()];
  /** values[node]: the piece id ending at this node, or -1. */
  readonly values: number[] = [-1];

  insert(cps: readonly number[], id: number): void {
    let node = 0;
    for (const cp of cps) {
      let next = this.children[node]!.get(cp);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        this.values.push(-1);
        this.children[node]!.set(cp, next);
      }
      node = next;
    }
    this.values[node] = id;
  }
}
