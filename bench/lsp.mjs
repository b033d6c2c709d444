// A small LSP client over stdio for the benchmark: starts dist/server.js as the extension does,
// answers the server's requests, and waits for publishDiagnostics of a given document version.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

export const SERVER = path.join(ROOT, 'dist', 'server.js');

export class BenchClient {
  constructor(child, connection) {
    this.child = child;
    this.connection = connection;
    this.waiters = new Map(); // uri -> { version, resolve }
    this.latest = new Map(); // uri -> params
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      this.latest.set(params.uri, params);
      const w = this.waiters.get(params.uri);
      if (w && (w.version === undefined || params.version === w.version)) {
        this.waiters.delete(params.uri);
        w.resolve(params);
      }
    });
    connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('window/logMessage', () => undefined);
    connection.onNotification('$/progress', () => undefined);
  }

  /** Spawns the server and returns once `initialize` has been answered. `started` is the spawn time. */
  static async start() {
    const started = performance.now();
    const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_ARGS ? process.env.BENCH_SERVER_ARGS.split(' ') : []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new BenchClient(child, connection);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    connection.sendNotification('initialized', {});
    client.started = started;
    return client;
  }

  /** Resolves with the next publishDiagnostics for the uri (of that version, when given). */
  diagnostics(uri, version) {
    return new Promise((resolve) => this.waiters.set(uri, { version, resolve }));
  }

  open(uri, text, version = 1) {
    const wait = this.diagnostics(uri, version);
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
    return wait;
  }

  change(uri, version, changes) {
    const wait = this.diagnostics(uri, version);
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return wait;
  }

  close(uri) {
    this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resident memory of the server process, in MB (Linux /proc). */
  async rssMB() {
    const fs = await import('node:fs');
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  }

  async stop() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 3000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}
