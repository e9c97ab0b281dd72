// Types of repos.mjs (repo sets for the Hub mirror).
import type { RepoSpec } from './mirror.mjs';

/** A repo spec read from a folder: files as a Map of bytes. */
export type DirRepoSpec = Omit<RepoSpec, 'files'> & { files: Map<string, Uint8Array> };

export const repoRoot: string;
export function repoFromDir(
  dir: string,
  options?: {
    include?: (file: string) => boolean;
    commit?: string;
    refs?: string[];
    token?: string;
    extra?: Record<string, Uint8Array | string>;
  },
): DirRepoSpec;
export function reposFromTree(root: string): Record<string, DirRepoSpec>;
/** albertjs/default, albert/albert-base-v2 (the same small model), albert-fixtures/{tiny,groups}-<Class>, albert-fixtures/<tokenizer>. */
export function fixtureRepos(root?: string): Record<string, DirRepoSpec>;
