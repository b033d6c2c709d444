// Starts the language server and wires VS Code. All Python knowledge lives in the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { insertPattern } from './insertPattern';
import { createStatusItem } from './status';
import { checkWorkspace } from './checkWorkspace';
import { RestartPolicy } from './restartPolicy';

let client: LanguageClient | undefined;

/** What the extension exports: when its activation began (Date.now()), for the start-up figure. */
export interface CoachApi {
  activationStarted: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<CoachApi> {
  const activationStarted = Date.now();
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  // vscode-languageclient 11 needs a log output channel.
  const outputChannel = vscode.window.createOutputChannel('Python Concurrency Coach', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'python', scheme: 'file' },
      { language: 'python', scheme: 'untitled' },
      { language: 'python', scheme: 'vscode-notebook-cell' },
      { language: 'python', scheme: 'vscode-vfs' },
    ],
    outputChannel,
    synchronize: { configurationSection: 'concurrencyCoach', fileEvents: vscode.workspace.createFileSystemWatcher('**/pyproject.toml') },
    initializationOptions: { snippetsContributed: true },
    errorHandler: crashHandler(new RestartPolicy()),
  };
  client = new LanguageClient('concurrencyCoach', 'Python Concurrency Coach', serverOptions, clientOptions);
  context.subscriptions.push(
    outputChannel,
    ...registerCommands(() => client, outputChannel),
    vscode.commands.registerCommand('concurrencyCoach.insertPattern', (key?: string) => insertPattern(key)),
    vscode.commands.registerCommand('concurrencyCoach.checkWorkspace', () => checkWorkspace(() => client)),
    vscode.commands.registerCommand('concurrencyCoach.fixAll', () =>
      vscode.commands.executeCommand('editor.action.sourceAction', { kind: 'source.fixAll.concurrencyCoach', apply: 'first' })),
    createStatusItem(() => client),
  );
  await client.start();
  return { activationStarted };
}

/** Restarts a crashed server up to the policy's limit, and tells the user either way. */
function crashHandler(policy: RestartPolicy): ErrorHandler {
  return {
    error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
    closed: () => {
      const verdict = policy.onCrash();
      if (verdict.restart) {
        void vscode.window.showWarningMessage(verdict.message);
      } else {
        void vscode.window.showErrorMessage(verdict.message, 'Restart Server').then((choice) => {
          if (choice) void vscode.commands.executeCommand('concurrencyCoach.restartServer');
        });
      }
      return { action: verdict.restart ? CloseAction.Restart : CloseAction.DoNotRestart, message: verdict.message, handled: true };
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
