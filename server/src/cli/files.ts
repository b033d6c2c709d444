// Finds the Python files to check under the given paths.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox',
  '.mypy_cache', '.ruff_cache', '.pytest_cache', '.eggs', 'site-packages',
]);

export class PathError extends Error {}

function isVirtualEnv(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg'));
}

function walk(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folders inside the tree are skipped, like other linters do
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !isVirtualEnv(full)) walk(full, out);
    } else if (entry.isFile() && (entry.name.endsWith('.py') || entry.name.endsWith('.pyi'))) {
      out.push(full);
    }
  }
}

/** Files named directly are taken as they are; folders are searched for *.py. Throws PathError for a missing path. */
export function collectFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new PathError(`cannot read ${p}: no such file or directory`);
    }
    if (stat.isDirectory()) walk(p, files);
    else if (stat.isFile()) files.push(p);
    else throw new PathError(`cannot read ${p}: not a regular file`); // a FIFO or a device would block or never end
  }
  return [...new Set(files)];
}
