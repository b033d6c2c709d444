// Preloaded into the language server by safety.test.ts (`node --require <this file>`): records, one JSON
// line per event in the file named by SAFETY_LOG, every attempt to start a process, open a connection,
// start a worker, evaluate code through `vm`, load code from outside the extension, or read a file.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const LOG = process.env.SAFETY_LOG;
if (!LOG) throw new Error('safetyHook.js needs SAFETY_LOG');
const appendFileSync = fs.appendFileSync;
let recording = false;

function record(kind, detail) {
  if (recording) return; // the log's own writes
  recording = true;
  try {
    const stack = (new Error().stack || '').split('\n').slice(3, 7).map((s) => s.trim()).join(' < ');
    appendFileSync(LOG, JSON.stringify({ kind, detail: String(detail ?? ''), stack }) + '\n');
  } finally {
    recording = false;
  }
}

function wrap(owner, name, kind, describe = (args) => args[0]) {
  const original = owner[name];
  if (typeof original !== 'function') return;
  owner[name] = function wrapped(...args) {
    record(kind, describe(args));
    return original.apply(this, args);
  };
}

const childProcess = require('node:child_process');
for (const name of ['spawn', 'exec', 'execFile', 'fork', 'spawnSync', 'execSync', 'execFileSync']) wrap(childProcess, name, `child_process.${name}`);

const net = require('node:net');
wrap(net, 'connect', 'net.connect', (a) => JSON.stringify(a[0]));
wrap(net, 'createConnection', 'net.createConnection', (a) => JSON.stringify(a[0]));
wrap(net.Socket.prototype, 'connect', 'net.Socket.connect', (a) => JSON.stringify(a[0]));
wrap(net, 'createServer', 'net.createServer', () => '');
wrap(require('node:tls'), 'connect', 'tls.connect', (a) => JSON.stringify(a[0]));
for (const mod of ['http', 'https']) {
  const m = require(`node:${mod}`);
  wrap(m, 'request', `${mod}.request`, (a) => String(a[0]?.href ?? a[0]?.host ?? a[0]));
  wrap(m, 'get', `${mod}.get`, (a) => String(a[0]?.href ?? a[0]?.host ?? a[0]));
}
wrap(require('node:dgram'), 'createSocket', 'dgram.createSocket', (a) => JSON.stringify(a[0]));
if (typeof globalThis.fetch === 'function') wrap(globalThis, 'fetch', 'fetch', (a) => String(a[0]));

const workerThreads = require('node:worker_threads');
const OriginalWorker = workerThreads.Worker;
workerThreads.Worker = class RecordedWorker extends OriginalWorker {
  constructor(...args) {
    record('worker_threads.Worker', args[0]);
    super(...args);
  }
};

const vm = require('node:vm');
for (const name of ['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction']) wrap(vm, name, `vm.${name}`, () => '');
const OriginalScript = vm.Script;
vm.Script = class RecordedScript extends OriginalScript {
  constructor(...args) {
    record('vm.Script', '');
    super(...args);
  }
};

// Code loaded at run time: node's own modules, or files of the extension itself. Anything else is user code.
const loadModule = Module._load;
Module._load = function load(request, parent, isMain) {
  if (!request.startsWith('node:') && !Module.isBuiltin(request)) {
    let resolved = request;
    try {
      resolved = Module._resolveFilename(request, parent, isMain);
    } catch {
      // let node report it
    }
    record('require', resolved);
  }
  return loadModule.apply(this, arguments);
};

// Files read, by path: the test checks they are the extension's own files or configuration files.
const describePath = (a) => (typeof a[0] === 'number' ? `fd:${a[0]}` : path.resolve(String(a[0])));
for (const name of ['readFileSync', 'openSync', 'readFile', 'open', 'createReadStream', 'readdirSync', 'readdir', 'opendirSync']) {
  wrap(fs, name, `fs.${name}`, describePath);
}
for (const name of ['readFile', 'open', 'readdir', 'opendir']) wrap(fs.promises, name, `fs.promises.${name}`, describePath);
