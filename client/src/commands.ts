// One function per command; each forwards to the language client or VS Code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** `publisher.name` from package.json. */
const EXTENSION_ID = 'concurrency-coach.python-concurrency-coach';

export function registerCommands(getClient: () => LanguageClient | undefined, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('concurrencyCoach.restartServer', async () => {
      await getClient()?.restart();
    }),
    vscode.commands.registerCommand('concurrencyCoach.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('concurrencyCoach.openGuide', () => {
      // The extension folder: ours by id, else the parent of dist/ holding this bundle.
      const root = vscode.extensions.getExtension(EXTENSION_ID)?.extensionUri ?? vscode.Uri.file(path.dirname(__dirname));
      return vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(root, 'docs', 'guide.md'));
    }),
  ];
}
