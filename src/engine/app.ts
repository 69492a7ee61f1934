import type { ApiHandlers, ProgressEvent } from '../shared/api/contract.js';

/** The engine as the desktop shell and the runner see it: API handlers plus a progress stream. */
export interface EngineApp {
  readonly handlers: ApiHandlers;
  /** Subscribes to progress events; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** SQLite database file. */
  dbPath: string;
}

/** Opens the database, resumes unfinished runs and returns the engine. Implemented by the executor work. */
export declare function openEngine(options: EngineOptions): Promise<EngineApp>;
