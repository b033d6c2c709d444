// A minimal LSP client for tests: spawns `concurrency-coach lsp --stdio` and speaks the real protocol.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, Diagnostic, Hover, Position, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/text/applyEdits';

export const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

export interface StartOptions {
  /** Answer `workspace/configuration` with these settings (per section `concurrencyCoach`). */
  settings?: unknown;
  /** Whether the client claims support for `workspace/configuration` (default true). */
  configuration?: boolean;
  initializationOptions?: unknown;
  env?: NodeJS.ProcessEnv;
  /** Extra arguments for node before the server script, e.g. `['--require', hook]`. */
  nodeArgs?: string[];
}

export class LspClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  readonly shownDocuments: string[] = [];
  private waiters: (() => void)[] = [];
  settings: unknown;

  private constructor(readonly process: ChildProcess, readonly connection: MessageConnection, options: StartOptions) {
    this.settings = options.settings ?? {};
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      this.notify();
    });
    connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      this.messages.push(params);
      this.notify();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/showMessageRequest', (params: { type: number; message: string }) => {
      this.messages.push(params);
      this.notify();
      return null;
    });
    connection.onRequest('window/showDocument', (params: { uri: string }) => {
      this.shownDocuments.push(params.uri);
      return { success: true };
    });
    connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: options.configuration ?? true, workspaceEdit: { documentChanges: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] } },
        window: { showDocument: { support: true } },
      },
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `predicate` holds, re-checked on every notification; rejects after `ms`. */
  waitFor<T>(predicate: () => T | undefined, ms = 5000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms);
      const check = () => {
        const value = predicate();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  /** Diagnostics published for the document at exactly this version. */
  diagnosticsFor(uri: string, version: number): Promise<Diagnostic[]> {
    return this.waitFor(() => this.published.get(uri)?.find((p) => p.version === version)?.diagnostics, 5000, `diagnostics for ${uri} v${version}`);
  }

  async open(uri: string, text: string, version = 1, languageId = 'python'): Promise<Diagnostic[]> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return this.diagnosticsFor(uri, version);
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[], wait = true): Promise<Diagnostic[] | undefined> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    return wait ? this.diagnosticsFor(uri, version) : undefined;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = [], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params);
  }

  async changeConfiguration(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { concurrencyCoach: settings } });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // the server may already be gone
    }
    this.connection.dispose();
    if (this.process.exitCode === null) {
      await Promise.race([new Promise((r) => this.process.once('exit', r)), new Promise((r) => setTimeout(r, 2000))]);
      this.process.kill();
    }
  }
}

/** Applies a code action's workspace edit (documentChanges or changes) for one document to its text. */
export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | undefined): string {
  if (!edit) throw new Error('The code action carries no edit');
  const edits = edit.documentChanges
    ? edit.documentChanges.flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits : []))
    : edit.changes?.[uri] ?? [];
  return applyEdits(text, edits as { range: Range; newText: string }[]);
}
