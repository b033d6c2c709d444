// Entry point of the in-editor suite, in the @vscode/test-electron shape: the extension host
// loads this file (extensionTestsPath) and awaits run(). Under code-server the harness
// test/e2e/run.mjs passes it through the workbench's `payload`; with desktop VS Code,
// @vscode/test-electron's runTests({ extensionTestsPath }) does the same.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { ConsoleReporter } from './reporter';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: ConsoleReporter,
    timeout: 60_000,
    grep: process.env.PCC_E2E_GREP || undefined,
  });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    } catch (err) {
      console.error(err);
      reject(err);
    }
  });
}
