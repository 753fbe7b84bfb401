import type { Queryable } from '../db/db.js';

/**
 * A stage is a named, versioned function from typed inputs and params to an
 * output. `version` is part of every cache key: bump it whenever the stage's
 * code changes what it returns, and cached outputs made by the old code stop
 * matching. Stages are plain functions, so code can call `stage.run(...)`
 * directly without the runner, the cache or the CLI.
 */
export interface StageContext {
  /** Base for relative paths in sources. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Opened on first use: only SQL sources need a database. */
  database?: () => Promise<Queryable>;
}

export interface Stage<Params, Inputs extends readonly unknown[], Output> {
  kind: string;
  version: string;
  run(params: Params, inputs: Inputs, context: StageContext): Promise<Output>;
}

/** What a source knows about its data before (or while) reading it. */
export interface SourceFingerprint {
  /** sha256 over everything the source reads; changes when any input changes. */
  hash: string;
  /** sha256 per input (file path → hash, or `sql:<query>` → hash of the rows), for data-hashes.json. */
  dataHashes: Record<string, string>;
  /** Data already read while fingerprinting (a SQL result), handed to run() instead of reading twice. */
  preloaded?: unknown;
}

export interface SourceStage<Params, Output> extends Stage<Params, readonly [], Output> {
  fingerprint(params: Params, context: StageContext): Promise<SourceFingerprint>;
  /** Like run(), reusing what fingerprint() read. */
  runWith(params: Params, fingerprint: SourceFingerprint, context: StageContext): Promise<Output>;
}

/** One node of a pipeline's stage graph, as the runner sees it. */
export interface StageNode {
  id: string;
  kind: string;
  version: string;
  params: unknown;
  /** Ids of the nodes whose outputs are this node's inputs, in order. */
  inputs: string[];
  run(inputs: unknown[], context: StageContext): Promise<unknown>;
  fingerprint?(context: StageContext): Promise<SourceFingerprint>;
  runWith?(fingerprint: SourceFingerprint, context: StageContext): Promise<unknown>;
}
