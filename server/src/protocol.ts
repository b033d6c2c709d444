// Custom requests between the VS Code client and the server. Both sides import these names.

/** `concurrencyCoach/status`: what the server assumes for a document. */
export const STATUS_REQUEST = 'concurrencyCoach/status';
export interface StatusParams {
  uri?: string;
}
export interface StatusResult {
  enabled: boolean;
  pythonVersion: string;
  freeThreaded: boolean;
  /** Where the version came from: the setting, pyproject.toml, or the default. */
  pythonSource: 'setting' | 'pyproject' | 'default';
  rulesOn: number;
  rulesTotal: number;
}

/** `concurrencyCoach/analyzeFile`: analyse a file the client read (not open in an editor) and publish its diagnostics. */
export const ANALYZE_FILE_REQUEST = 'concurrencyCoach/analyzeFile';
export interface AnalyzeFileParams {
  uri: string;
  text: string;
}
export interface AnalyzeFileResult {
  /** Number of findings published for the file; -1 when skipped (open in an editor, too large, disabled). */
  findings: number;
}
