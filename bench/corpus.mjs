// The benchmark corpus: the machine's Python standard library, and one large file made from it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The stdlib folder of the machine's python3 (`sysconfig.get_paths()['stdlib']`). */
export function stdlibDir() {
  return execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
}

/** Every .py file under the folder, sorted, skipping site-packages (not the standard library). */
export function pythonFiles(dir) {
  const files = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'site-packages' && entry.name !== '__pycache__') walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.py')) files.push(full);
    }
  };
  walk(dir);
  return files;
}

/** Concurrency-heavy stdlib modules, concatenated in this order until the text has `lines` lines. */
const BIG_FILE_PARTS = [
  'threading.py', 'queue.py', 'concurrent/futures/_base.py', 'concurrent/futures/thread.py',
  'concurrent/futures/process.py', 'asyncio/tasks.py', 'asyncio/locks.py', 'asyncio/queues.py',
  'multiprocessing/pool.py', 'subprocess.py', 'socketserver.py', 'sched.py', 'asyncio/base_events.py',
];

/** A large file made of whole stdlib modules, cut at the first top-level statement past `lines` lines. */
export function bigFile(lines = 5000, stdlib = stdlibDir()) {
  const out = [];
  for (const part of BIG_FILE_PARTS) {
    const text = fs.readFileSync(path.join(stdlib, part), 'utf8').replace(/\r\n?/g, '\n');
    for (const line of text.split('\n')) {
      if (out.length >= lines && line && !/^[\s#)\]}]/.test(line) && !/^(else|elif|except|finally)\b/.test(line)) {
        return out.join('\n') + '\n';
      }
      out.push(line);
    }
  }
  return out.join('\n') + '\n';
}
