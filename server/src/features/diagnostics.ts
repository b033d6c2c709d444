// Publishes diagnostics for open documents, recomputed after each change.
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../rules/rule';
import type { PythonDocument } from '../documents';
import { analyzeTree } from '../analysis';
import { ruleDocsUri } from '../engine';
import type { ServerDeps } from '../serverDeps';
import { keepRecentSyntax } from '../incremental/recentSyntax';

export const SOURCE = 'concurrency-coach';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(uri: string, finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleDocsUri(finding.code) },
    source: SOURCE,
    message: finding.message,
    relatedInformation: finding.related?.map((r) => ({ location: { uri, range: r.range }, message: r.message })),
    data: { name: finding.name, fixable: !!finding.fix },
  };
}

/** Analyses a document now (synchronously, after its config is known) and caches the findings for its version. */
export async function analyzeDocument(deps: ServerDeps, doc: PythonDocument): Promise<Finding[] | undefined> {
  const version = doc.version;
  const config = await deps.config.get(doc.uri);
  if (deps.documents.get(doc.uri) !== doc || doc.version !== version) return undefined; // outdated meanwhile
  if (!config.settings.enable || config.excluded) return [];
  if (doc.text.length > config.settings.maxFileSize) {
    // The same words at every keystroke, so the message is shown once per file, not once per edit.
    deps.config.report(`Skipped ${doc.uri}: it has more than ${config.settings.maxFileSize} characters (the concurrencyCoach.maxFileSize setting), so it is not analysed.`);
    return [];
  }
  const result = analyzeTree(doc.text, doc.syntax, config.selection, config.options);
  keepRecentSyntax(doc);
  for (const failure of result.failures) deps.logFailure(failure.code, doc.uri, failure.error);
  deps.findings.set(doc.uri, { version, findings: result.findings });
  return result.findings;
}

export function register(connection: Connection, deps: ServerDeps): { schedule(uri: string): void } {
  const pending = new Map<string, NodeJS.Immediate>();

  async function publish(uri: string): Promise<void> {
    const doc = deps.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    let findings: Finding[] | undefined;
    try {
      findings = await analyzeDocument(deps, doc);
    } catch (error) {
      connection.console.error(`Could not analyse ${uri}: ${error instanceof Error ? error.stack : String(error)}`);
      findings = [];
    }
    if (!findings || deps.documents.get(uri) !== doc || doc.version !== version) return; // never publish stale results
    void connection.sendDiagnostics({ uri, version, diagnostics: findings.map((f) => toDiagnostic(uri, f)) });
  }

  function schedule(uri: string): void {
    const previous = pending.get(uri);
    if (previous) clearImmediate(previous);
    pending.set(uri, setImmediate(() => {
      pending.delete(uri);
      void publish(uri);
    }));
  }

  return { schedule };
}
