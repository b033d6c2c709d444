// One function per command; each forwards to the language client or VS Code.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerCommands(getClient: () => LanguageClient | undefined, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('concurrencyCoach.restartServer', async () => {
      await getClient()?.restart();
    }),
    vscode.commands.registerCommand('concurrencyCoach.showOutput', () => output.show(true)),
  ];
}
