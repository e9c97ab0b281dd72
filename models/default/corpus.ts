// The training text of the default model: the glosses of WordNet 3.0 (Princeton University, WordNet 3.0
// license: use, copy, modify and distribute for any purpose, notice kept), from Debian's `wordnet-base`
// package. Every synset becomes one short "document": a definition sentence built from its first lemma
// ("paris is the capital and largest city of france.") followed by its quoted usage examples.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WORDNET_PACKAGE = 'wordnet-base';
const SYSTEM_DIR = '/usr/share/wordnet';
const PARTS = ['noun', 'verb', 'adj', 'adv'] as const;

/** Finds WordNet's data files: installed, or downloaded with `apt-get download wordnet-base` and unpacked. */
export function wordnetDir(): { dir: string; version: string } {
  if (PARTS.every((p) => existsSync(join(SYSTEM_DIR, `data.${p}`)))) {
    return {
      dir: SYSTEM_DIR,
      version:
        /^Version: (.*)$/m.exec(execFileSync('dpkg-query', ['-s', WORDNET_PACKAGE], { encoding: 'utf8' }))?.[1] ??
        'unknown',
    };
  }
  const tmp = mkdtempSync(join(tmpdir(), 'wordnet-'));
  execFileSync('apt-get', ['download', WORDNET_PACKAGE], { cwd: tmp, stdio: 'inherit' });
  const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${WORDNET_PACKAGE} produced no .deb in ${tmp}`);
  execFileSync('dpkg-deb', ['-x', join(tmp, deb), join(tmp, 'x')]);
  const version = execFileSync('dpkg-deb', ['-f', join(tmp, deb), 'Version'], { encoding: 'utf8' }).trim();
  return { dir: join(tmp, 'x', 'usr', 'share', 'wordnet'), version };
}

/** A synset's text: the definition sentence first, then its examples. */
export type Document = string[];

const sentence = (s: string) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

/** One synset of WordNet's data files: part of speech, lexicographer file, lemmas, definitions, examples. */
export interface Synset {
  part: (typeof PARTS)[number];
  /** lex_filenum: the index into LEXNAMES (the synset's supersense). */
  lexFile: number;
  /** Lemmas with spaces for underscores and adjective markers ("(a)") removed. */
  lemmas: string[];
  definitions: string[];
  /** The quoted usage examples, quotes removed. */
  examples: string[];
}

/** lexnames(5WN): the 45 lexicographer files (supersenses), by lex_filenum. */
export const LEXNAMES = [
  'adj.all',
  'adj.pert',
  'adv.all',
  'noun.Tops',
  'noun.act',
  'noun.animal',
  'noun.artifact',
  'noun.attribute',
  'noun.body',
  'noun.cognition',
  'noun.communication',
  'noun.event',
  'noun.feeling',
  'noun.food',
  'noun.group',
  'noun.location',
  'noun.motive',
  'noun.object',
  'noun.person',
  'noun.phenomenon',
  'noun.plant',
  'noun.possession',
  'noun.process',
  'noun.quantity',
  'noun.relation',
  'noun.shape',
  'noun.state',
  'noun.substance',
  'noun.time',
  'verb.body',
  'verb.change',
  'verb.cognition',
  'verb.communication',
  'verb.competition',
  'verb.consumption',
  'verb.contact',
  'verb.creation',
  'verb.emotion',
  'verb.motion',
  'verb.perception',
  'verb.possession',
  'verb.social',
  'verb.stative',
  'verb.weather',
  'adj.ppl',
];

/** Every synset with a definition and a lemma, in file order (the order readWordnet's documents follow). */
export function readSynsets(dir: string): Synset[] {
  const out: Synset[] = [];
  for (const part of PARTS) {
    for (const line of readFileSync(join(dir, `data.${part}`), 'latin1').split('\n')) {
      if (line.startsWith('  ') || !line.includes(' | ')) continue; // license header lines start with two spaces
      const fields = line.split(' ');
      // synset_offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id …]
      const count = Number.parseInt(fields[3] ?? '0', 16);
      const lemmas = Array.from({ length: count }, (_, i) =>
        (fields[4 + 2 * i] ?? '').replace(/_/g, ' ').replace(/\(.*\)$/, ''),
      );
      const gloss = line.slice(line.indexOf(' | ') + 3);
      const parts = gloss
        .split(/;\s*/)
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      const definitions = parts.filter((p) => !p.startsWith('"'));
      const examples = parts.filter((p) => p.startsWith('"')).map((p) => sentence(p.replace(/"/g, '')));
      if (definitions.length === 0 || !lemmas[0]) continue;
      out.push({ part, lexFile: Number(fields[1]), lemmas, definitions, examples });
    }
  }
  return out;
}

/** One document per synset, in file order (synsets of a lexicographer file are neighbours). */
export function readWordnet(dir: string): Document[] {
  return readSynsets(dir).map(({ part, lemmas, definitions, examples }) => {
    const lemma = lemmas[0]!;
    const def = definitions.join('; ');
    const first =
      part === 'noun' ? `${lemma} is ${def}` : part === 'verb' ? `to ${lemma} is to ${def}` : `${lemma} means ${def}`;
    return [sentence(first), ...examples];
  });
}
