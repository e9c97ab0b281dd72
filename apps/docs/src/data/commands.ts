// The shell commands a page shows: every plain `<pre>` block of its HTML (the live code blocks are
// `<div data-snippet>` filled by the page's script, not `<pre>` in the HTML), one command per line, with the
// `<h2 id>` of the section it sits in. The consumer tier (packages/consumer-tests) runs each of them as written in
// an npm project; the built-site test checks that the built page shows exactly these.

export interface PageCommands {
  /** The id of the `<h2>` above the block ('' before the first). */
  section: string;
  /** The block's lines, as shown (entities decoded), empty lines dropped. */
  lines: string[];
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };

export function pageCommands(html: string): PageCommands[] {
  const out: PageCommands[] = [];
  let section = '';
  for (const m of html.matchAll(/<h2 id="([^"]+)"|<pre>([\s\S]*?)<\/pre>/g)) {
    if (m[1] !== undefined) section = m[1];
    else {
      const text = m[2]!.replace(/<[^>]+>/g, '').replace(/&(lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e]!);
      out.push({ section, lines: text.split('\n').filter((l) => l.trim()) });
    }
  }
  return out;
}
