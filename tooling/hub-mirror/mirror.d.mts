// Types of mirror.mjs (the local Hugging Face Hub mirror for tests).

/** File contents: bytes, or a string (UTF-8). */
export type FileContent = Uint8Array | string;

export interface RepoSnapshotSpec {
  files: Map<string, FileContent> | Record<string, FileContent>;
  /** 40-hex commit id (default: derived from the repo id and content). */
  commit?: string;
  /** Branch / tag / PR ref names (e.g. `v1.0`, `refs/pr/1`) that resolve to this snapshot. `main` is the head. */
  refs?: string[];
}

export interface RepoSpec extends RepoSnapshotSpec {
  /** A gated repo: requests need `Authorization: Bearer <token>` (else 401 X-Error-Code: GatedRepo). */
  token?: string;
  /** Older snapshots, reachable by their commit or refs (revision pinning). */
  history?: RepoSnapshotSpec[];
}

export interface MirrorSnapshot {
  commit: string;
  files: Map<string, Uint8Array>;
  refs: string[];
}

export interface MirrorRepo extends MirrorSnapshot {
  token: string | undefined;
  history: MirrorSnapshot[];
}

export interface MirrorLogEntry {
  method: string;
  /** Decoded request path (no query). */
  path: string;
  range?: string;
  authorization?: string;
}

/**
 * A fault injected into matching requests:
 * - `stall`: accept the request, never answer (use `method: 'HEAD'` for a stalled HEAD)
 * - `stall-body`: send the headers and half the body, then nothing
 * - `truncate`: send half the body, then close the connection
 * - `drop`: destroy the connection before answering
 * - `corrupt`: flip one byte of the body
 * - `slow`: wait `ms` before answering; with `chunkMs`, send the body in `chunkSize` pieces that far apart
 * - `status`: answer `status` (default 503)
 */
export interface MirrorFault {
  kind: 'stall' | 'stall-body' | 'truncate' | 'drop' | 'corrupt' | 'slow' | 'status';
  /** Substring of, or RegExp over, the decoded path (`/org/name/resolve/main/config.json`, `/cdn/<sha256>`). */
  match?: string | RegExp;
  method?: 'GET' | 'HEAD';
  /** How many requests it applies to (default: all). */
  times?: number;
  ms?: number;
  chunkMs?: number;
  chunkSize?: number;
  status?: number;
}

export interface HubMirror {
  /** `http://127.0.0.1:PORT`, no trailing slash: use as HF_ENDPOINT / `endpoint`. */
  url: string;
  port: number;
  repos: Map<string, MirrorRepo>;
  /** Every request except CORS preflights and /_mirror control routes. */
  log: MirrorLogEntry[];
  faults: Array<MirrorFault & { hits: number }>;
  /** old repo id → new repo id, answered with a relative 307 as the Hub does for renamed repos. */
  renamed: Map<string, string>;
  /** Send CDN downloads through one more absolute redirect hop. */
  cdnHop: boolean;
  /** Host name for CDN URLs (another origin than the API, e.g. `localhost`). */
  cdnHost: string | undefined;
  /** Answer non-LFS files on a branch with a relative 307 to /api/resolve-cache/… as huggingface.co does (default true). */
  resolveCache: boolean;
  addRepo(id: string, spec: RepoSpec): MirrorRepo;
  fault(f: MirrorFault): MirrorFault & { hits: number };
  /** Clears faults, log, renames, cdnHop and cdnHost. */
  reset(): void;
  /** Closes the server and every connection (stalled ones included). */
  close(): Promise<void>;
}

export interface HubMirrorOptions {
  repos?: Record<string, RepoSpec>;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  cdnHost?: string;
  resolveCache?: boolean;
}

export function startHubMirror(options?: HubMirrorOptions): Promise<HubMirror>;
export function normalizeRepo(id: string, spec: RepoSpec): MirrorRepo;
export function isLfsFile(file: string): boolean;
export function sha256(bytes: Uint8Array): string;
export function gitBlobSha1(bytes: Uint8Array): string;
export function commitOf(seed: string): string;
