// The language server: connection and capability wiring only.
import {
  createConnection, ProposedFeatures, TextDocumentSyncKind, DidChangeConfigurationNotification, type Connection,
} from 'vscode-languageserver/node';
import { createParser } from './trees';
import { RULES } from './rules/index';
import { VERSION } from './cli/version';
import { DocumentStore } from './documents';
import { ConfigService } from './config/service';
import type { ServerDeps } from './serverDeps';
import * as diagnostics from './features/diagnostics';
import * as codeActions from './features/codeActions';
import * as commands from './features/commands';
import * as hover from './features/hover';
import * as completion from './features/completion';
import * as workspace from './features/workspace';
import { crashIfAsked, injectRuleFault } from './testHooks';
import { forgetSyntax } from './incremental/recentSyntax';
import { tuneHeap } from './incremental/heapTuning';

const PYTHON_LANGUAGES = new Set(['python']);

/** Starts the language server on the given connection, or (in its own process) on stdio/IPC with the heap tuned. */
export function startServer(given?: Connection): Connection {
  if (!given) tuneHeap(); // a process of its own: keep its memory near the live data
  const connection = given ?? createConnection(ProposedFeatures.all);
  // Nothing may write to stdout: it carries the protocol.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = console.log;
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

  injectRuleFault(); // only when a test sets CONCURRENCY_COACH_TEST_FAIL_RULE
  const config = new ConfigService(connection);
  const loggedFailures = new Set<string>();
  let deps: ServerDeps | undefined;
  let publisher: { schedule(uri: string): void } | undefined;
  let parserMs = 0;

  connection.onInitialize(async (params) => {
    const started = Date.now();
    const parser = await createParser();
    parserMs = Date.now() - started;
    config.setPullSupport(!!params.capabilities.workspace?.configuration);
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings !== undefined) config.setPushed(init.settings);
    deps = {
      documents: new DocumentStore(parser),
      config,
      findings: new Map(),
      logFailure(code, uri, error) {
        const key = `${code} ${uri}`;
        if (loggedFailures.has(key)) return;
        loggedFailures.add(key);
        connection.console.error(`Rule ${code} failed on ${uri} and was skipped: ${error instanceof Error ? error.stack : String(error)}`);
      },
    };
    publisher = diagnostics.register(connection, deps);
    codeActions.register(connection, deps, parser);
    commands.register(connection);
    workspace.register(connection, deps, parser);
    hover.register(connection, deps);
    // VS Code has the snippets contributed already; other editors get them as completions.
    const snippetsContributed = (params.initializationOptions as { snippetsContributed?: boolean } | undefined)?.snippetsContributed === true;
    if (!snippetsContributed) completion.register(connection, deps);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: ['quickfix', codeActions.FIX_ALL_KIND] },
        executeCommandProvider: { commands: commands.COMMANDS },
        hoverProvider: true,
        completionProvider: snippetsContributed ? undefined : { triggerCharacters: ['-'] },
      },
      serverInfo: { name: 'concurrency-coach', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    connection.console.info(`Python Concurrency Coach ${VERSION}: ${RULES.length} rules, running on Node ${process.versions.node}; parser ready in ${parserMs} ms.`);
    void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
  });

  connection.onDidOpenTextDocument(({ textDocument: td }) => {
    if (!deps || !PYTHON_LANGUAGES.has(td.languageId)) return;
    deps.documents.open(td.uri, td.version, td.text, td.languageId);
    publisher!.schedule(td.uri);
    if (diagnostics.isNotebookCell(td.uri)) for (const cell of diagnostics.notebookSiblings(deps, td.uri)) publisher!.schedule(cell.uri);
  });

  connection.onDidChangeTextDocument(({ textDocument: td, contentChanges }) => {
    crashIfAsked(contentChanges); // only when a test sets CONCURRENCY_COACH_TEST_CRASH
    if (!deps?.documents.change(td.uri, td.version, contentChanges)) return;
    publisher!.schedule(td.uri);
    // A cell's imports serve the notebook's other cells too.
    if (diagnostics.isNotebookCell(td.uri)) for (const cell of diagnostics.notebookSiblings(deps, td.uri)) publisher!.schedule(cell.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument: td }) => {
    if (!deps?.documents.get(td.uri)) return;
    deps.documents.close(td.uri);
    forgetSyntax(td.uri);
    deps.findings.delete(td.uri);
    void connection.sendDiagnostics({ uri: td.uri, diagnostics: [] });
  });

  // pyproject.toml changed (the VS Code client watches it): reload the configuration, re-check open files.
  connection.onDidChangeWatchedFiles(() => {
    config.invalidate();
    for (const doc of deps?.documents.all() ?? []) publisher?.schedule(doc.uri);
  });

  connection.onDidChangeConfiguration((params) => {
    const settings = (params.settings as { concurrencyCoach?: unknown } | undefined)?.concurrencyCoach;
    if (settings !== undefined) config.setPushed(settings);
    else config.invalidate();
    for (const doc of deps?.documents.all() ?? []) publisher?.schedule(doc.uri);
  });

  connection.listen();
  return connection;
}

