// Temporary folders for tests, removed when the test file ends.
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];
// Registered when a test file imports this module, so it runs when that file's tests end.
after(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder holding the given files (paths relative to it). */
export function tempTree(prefix: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
