// Status for the client's status item, and analysis of files the client reads for a workspace check.
import type { Connection } from 'vscode-languageserver';
import { RULES } from '../rules/index';
import { analyzeText } from '../engine';
import { toDiagnostic } from './diagnostics';
import type { ServerDeps } from '../serverDeps';
import type { Parser } from 'web-tree-sitter';
import {
  ANALYZE_FILE_REQUEST, STATUS_REQUEST, type AnalyzeFileParams, type AnalyzeFileResult, type StatusParams, type StatusResult,
} from '../protocol';

export function register(connection: Connection, deps: ServerDeps, parser: Parser): void {
  connection.onRequest(STATUS_REQUEST, async (params: StatusParams): Promise<StatusResult> => {
    const config = await deps.config.get(params.uri ?? '');
    const python = config.options.python;
    return {
      enabled: config.settings.enable,
      pythonVersion: python.version,
      freeThreaded: python.freeThreaded,
      pythonSource: python.source,
      rulesOn: config.settings.enable ? config.selection.severity.size : 0,
      rulesTotal: RULES.length,
    };
  });

  connection.onRequest(ANALYZE_FILE_REQUEST, async (params: AnalyzeFileParams, token): Promise<AnalyzeFileResult> => {
    if (deps.documents.get(params.uri)) return { findings: -1 }; // an open editor owns its diagnostics
    const config = await deps.config.get(params.uri);
    // Opened meanwhile: the editor's version owns the diagnostics, so these would be stale.
    if (deps.documents.get(params.uri)) return { findings: -1 };
    if (token.isCancellationRequested || !config.settings.enable || params.text.length > config.settings.maxFileSize) return { findings: -1 };
    const result = analyzeText(parser, params.text, config);
    for (const failure of result.failures) deps.logFailure(failure.code, params.uri, failure.error);
    void connection.sendDiagnostics({ uri: params.uri, diagnostics: result.findings.map((f) => toDiagnostic(params.uri, f)) });
    return { findings: result.findings.length };
  });
}
