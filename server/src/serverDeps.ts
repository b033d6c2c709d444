// What the LSP features share.
import type { DocumentStore } from './documents';
import type { ConfigService } from './config/service';
import type { Finding } from './rules/rule';

export interface CachedFindings {
  version: number;
  findings: Finding[];
}

export interface ServerDeps {
  documents: DocumentStore;
  config: ConfigService;
  /** The latest findings per document URI, with the version they were computed for. */
  findings: Map<string, CachedFindings>;
  /** Logs a failing rule once per rule and file. */
  logFailure(code: string, uri: string, error: unknown): void;
}
