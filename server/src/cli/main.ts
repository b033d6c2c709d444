#!/usr/bin/env node
// concurrency-coach: check files, list rules, show a rule's docs, or run the language server.
import { parseArgs } from 'node:util';
import { RULES, findRule } from '../rules/index';
import { rulePage, generateDocs } from './docs';
import { runCheck } from './check';
import { PathError } from './files';
import { docsRoot } from '../engine';
import { VERSION } from './version';
import { isCheckWorker, runWorker } from './workers';


const USAGE = `Usage: concurrency-coach <command> [options]

Commands:
  check [PATH ...]        Check Python files and folders (default: .)
      --format FORMAT     text (default), json, sarif or github
      --select LIST       Only these rules (codes, prefixes or names, comma-separated)
      --ignore LIST       Skip these rules
      --python-version V  Target Python, like 3.12
      --fix               Apply safe fixes in place
      --unsafe-fixes      With --fix, also apply unsafe fixes
      --exit-zero         Exit 0 even when problems are found
      --no-progress       No progress line on stderr
  rules [--format json]   List the rules
  rule CODE|NAME          Print a rule's documentation
  lsp --stdio             Run the language server over stdio
  generate-docs [--check] Write (or check) docs/rules/*.md and the README rule table

Exit codes: 0 nothing found, 1 problems found, 2 usage error or unreadable path.`;

class UsageError extends Error {}

/** A comma-separated list; an empty one means "not given" (like an empty `select` setting: every rule). */
function list(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((s) => s.trim()).filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          format: { type: 'string', default: 'text' },
          select: { type: 'string' },
          ignore: { type: 'string' },
          'python-version': { type: 'string' },
          fix: { type: 'boolean', default: false },
          'unsafe-fixes': { type: 'boolean', default: false },
          'exit-zero': { type: 'boolean', default: false },
          'no-progress': { type: 'boolean', default: false },
        },
      });
      if (!['text', 'json', 'sarif', 'github'].includes(values.format!)) {
        throw new UsageError(`unknown format "${values.format}": expected text, json, sarif or github`);
      }
      return runCheck({
        paths: positionals.length ? positionals : ['.'],
        format: values.format as 'text' | 'json' | 'sarif' | 'github',
        select: list(values.select),
        ignore: list(values.ignore),
        pythonVersion: values['python-version'],
        fix: values.fix!,
        unsafeFixes: values['unsafe-fixes']!,
        exitZero: values['exit-zero']!,
        progress: !values['no-progress'] && !!process.stderr.isTTY,
        workerEntry: __filename,
      });
    }
    case 'rules': {
      const { values } = parseArgs({ args: rest, options: { format: { type: 'string', default: 'text' } } });
      if (values.format === 'json') {
        const rows = RULES.map((r) => ({ code: r.code, name: r.name, severity: r.severity, summary: r.summary, fixable: r.fixable }));
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else if (values.format === 'text') {
        for (const r of RULES) process.stdout.write(`${r.code}  ${r.name.padEnd(36)} ${r.severity.padEnd(8)} ${r.summary}\n`);
      } else {
        throw new UsageError(`unknown format "${values.format}": expected text or json`);
      }
      return 0;
    }
    case 'rule': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      if (positionals.length !== 1) throw new UsageError('rule takes one code or name, like PCC101');
      const rule = findRule(positionals[0]);
      if (!rule) throw new UsageError(`unknown rule "${positionals[0]}"; run "concurrency-coach rules" for the list`);
      process.stdout.write(rulePage(rule));
      return 0;
    }
    case 'lsp': {
      parseArgs({ args: rest, options: { stdio: { type: 'boolean' } } });
      // Loaded only here: checking files does not need the protocol libraries.
      const { startServer } = require('../server') as typeof import('../server');
      startServer();
      return new Promise<number>(() => undefined); // runs until the client ends it
    }
    case 'generate-docs': {
      const { values } = parseArgs({ args: rest, options: { check: { type: 'boolean', default: false } } });
      const stale = generateDocs(docsRoot(), values.check!);
      for (const file of stale) process.stderr.write(`${values.check ? 'stale' : 'wrote'}: ${file}\n`);
      return values.check && stale.length > 0 ? 1 : 0;
    }
    case '--version':
    case 'version':
      process.stdout.write(VERSION + '\n');
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

// A worker thread of `check` runs this same script: it checks the files it is sent, nothing else.
if (isCheckWorker()) void runWorker();
else main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || error instanceof PathError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`concurrency-coach: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!usage && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
    process.exitCode = 2;
  },
);
