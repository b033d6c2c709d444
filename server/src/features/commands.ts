// Commands the server executes for any LSP client.
import type { Connection } from 'vscode-languageserver';
import { findRule } from '../rules/index';
import { ruleDocsUri } from '../engine';
import { SHOW_DOCS_COMMAND } from './codeActions';

export const COMMANDS = [SHOW_DOCS_COMMAND];

export function register(connection: Connection): void {
  connection.onExecuteCommand(async (params) => {
    if (params.command !== SHOW_DOCS_COMMAND) return undefined;
    const rule = findRule(String(params.arguments?.[0] ?? ''));
    if (!rule) {
      void connection.window.showErrorMessage(`Python Concurrency Coach: unknown rule ${JSON.stringify(params.arguments?.[0])}.`);
      return undefined;
    }
    try {
      const result = await connection.window.showDocument({ uri: ruleDocsUri(rule.code), takeFocus: true });
      return result.success;
    } catch {
      // A client without window/showDocument: say where the page is instead of failing the command.
      void connection.window.showInformationMessage(`Python Concurrency Coach: the documentation for ${rule.code} is ${ruleDocsUri(rule.code)}`);
      return false;
    }
  });
}
