// Code blocks of a Markdown file, by the heading they sit under, so a test runs what the README shows.

/** The fenced code blocks (language `lang`) between `## heading` and the next heading of the same or a higher level. */
export function codeBlocksUnder(markdown: string, heading: string, lang: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && l.replace(/^#+ /, '').trim() === heading);
  if (start < 0) throw new Error(`no heading ${JSON.stringify(heading)} in the Markdown`);
  const level = lines[start]!.indexOf(' ');
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of lines.slice(start + 1)) {
    if (current === undefined) {
      const h = /^(#{1,6}) /.exec(line);
      if (h && h[1]!.length <= level) break;
      if (line.trim() === `\`\`\`${lang}`) current = [];
    } else if (line.trim() === '```') {
      blocks.push(current.join('\n'));
      current = undefined;
    } else current.push(line);
  }
  return blocks;
}

/** The inline code spans (`…`) of a Markdown text outside fenced blocks, in order. */
export function inlineCode(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
}

/** A command line split as `sh` splits it (words, "double" and 'single' quotes; no variables or globs). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g))
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return words;
}
