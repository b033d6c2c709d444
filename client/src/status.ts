// The language status item: server state, the Python version assumed, the number of rules on.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { STATUS_REQUEST, type StatusResult } from '../../server/src/protocol';

export function createStatusItem(getClient: () => LanguageClient | undefined): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('concurrencyCoach.status', { language: 'python' });
  item.name = 'Python Concurrency Coach';
  item.command = { title: 'Show Output', command: 'concurrencyCoach.showOutput' };

  async function refresh(): Promise<void> {
    const client = getClient();
    if (!client || client.state !== State.Running) {
      item.text = client?.state === State.Starting ? '$(sync~spin) Concurrency Coach starting' : '$(error) Concurrency Coach stopped';
      item.severity = client?.state === State.Starting ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
      item.detail = 'Run "Python Concurrency: Restart Server" to start it again';
      item.command = client?.state === State.Starting ? item.command : { title: 'Restart', command: 'concurrencyCoach.restartServer' };
      return;
    }
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    try {
      const status = await client.sendRequest<StatusResult>(STATUS_REQUEST, { uri });
      const build = status.freeThreaded ? ' free-threaded' : '';
      const from = status.pythonSource === 'setting' ? 'from settings' : status.pythonSource === 'pyproject' ? 'from pyproject.toml' : 'default';
      item.text = status.enabled ? `$(check) Concurrency Coach · Python ${status.pythonVersion}${build}` : '$(circle-slash) Concurrency Coach off';
      item.detail = `${status.rulesOn} of ${status.rulesTotal} rules on · Python ${status.pythonVersion}${build} (${from})`;
      item.severity = vscode.LanguageStatusSeverity.Information;
      item.command = { title: 'Show Output', command: 'concurrencyCoach.showOutput' };
    } catch {
      item.text = '$(warning) Concurrency Coach';
      item.detail = 'The server did not answer';
    }
  }

  const subscriptions = [
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void refresh()),
    vscode.workspace.onDidChangeConfiguration(() => setTimeout(() => void refresh(), 200)),
  ];
  const timer = setInterval(() => {
    const client = getClient();
    if (client) {
      subscriptions.push(client.onDidChangeState(() => void refresh()));
      clearInterval(timer);
      void refresh();
    }
  }, 100);
  subscriptions.push(new vscode.Disposable(() => clearInterval(timer)));
  void refresh();
  return vscode.Disposable.from(...subscriptions);
}
