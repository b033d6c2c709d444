// "Python Concurrency: Check Workspace": the server analyses every Python file and fills the Problems panel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ANALYZE_FILE_REQUEST, type AnalyzeFileResult } from '../../server/src/protocol';

const EXCLUDE = '{**/.git/**,**/node_modules/**,**/__pycache__/**,**/.venv/**,**/venv/**,**/.tox/**,**/site-packages/**}';

export async function checkWorkspace(getClient: () => LanguageClient | undefined): Promise<{ files: number; findings: number }> {
  const client = getClient();
  if (!client) throw new Error('The language server is not running');
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Python Concurrency: checking the workspace', cancellable: true },
    async (progress, token) => {
      const files = await vscode.workspace.findFiles('**/*.py', EXCLUDE, undefined, token);
      let findings = 0;
      let done = 0;
      for (const uri of files) {
        if (token.isCancellationRequested) break;
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const result = await client.sendRequest<AnalyzeFileResult>(ANALYZE_FILE_REQUEST, { uri: uri.toString(), text }, token);
        findings += Math.max(0, result.findings);
        done++;
        progress.report({ message: `${done}/${files.length} files`, increment: 100 / files.length });
      }
      const summary = `${findings} problem${findings === 1 ? '' : 's'} in ${done} Python file${done === 1 ? '' : 's'}`;
      void vscode.window.showInformationMessage(token.isCancellationRequested ? `Check cancelled: ${summary} so far.` : `Checked the workspace: ${summary}.`);
      return { files: done, findings };
    },
  );
}
