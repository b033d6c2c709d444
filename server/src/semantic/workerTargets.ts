// Which functions run in a worker: handed to a Thread/Process, submitted to an executor or pool,
// passed to `asyncio.to_thread` / `loop.run_in_executor`, or the `run()` of a Thread subclass.
//
//   workerHandoffs(module)          every call that hands a callable to a worker, with its world
//   workerFunctions(module, world)  the defs (and lambdas) that run in threads or processes
//   functionOf(module, callable)    the def a callable expression stands for (`work`, `self.work`,
//                                   `functools.partial(work, 1)`, `lambda: work(1)`)
import type { Node } from '../trees';
import type { ModuleIndex, ResolvedCall } from './module';
import { KIND, lastNames } from './kinds';
import { methodCall, keywordArgument } from './statements';
import { definitionOf, owningScope } from './scopes';
import { constructorKind } from './constructors';

/** Where the callable runs: a thread of this process, or another process. */
export type WorkerWorld = 'thread' | 'process';

export interface Handoff {
  /** The call that hands the callable over: `Thread(...)`, `ex.submit(...)`, `asyncio.to_thread(...)`. */
  call: Node;
  /** The expression in the callable's slot (`work`, `self.work`, a lambda, `f(x)` by mistake). */
  callable: Node;
  /** What receives it: a constructor kind (`threading.Thread`), an executor/pool kind, or `asyncio.to_thread`. */
  receiver: string;
  /** The method for executors and pools (`submit`, `map`, `apply_async`, `run_in_executor`). */
  method?: string;
  world: WorkerWorld;
  /** Several copies may run at once: inside a loop or comprehension, or a map-style call. */
  fanOut: boolean;
}

export interface WorkerFunction {
  /** A `function_definition` or `lambda`. */
  fn: Node;
  world: WorkerWorld;
  /** How it gets there; empty for the `run()` method of a Thread/Process subclass. */
  handoffs: Handoff[];
  /** Some handoff fans out, or the function is handed over in more than one place. */
  fanOut: boolean;
}

const EXECUTORS = new Map<string, WorkerWorld>([
  ['concurrent.futures.ThreadPoolExecutor', 'thread'],
  ['concurrent.futures.ProcessPoolExecutor', 'process'],
  ['concurrent.futures.InterpreterPoolExecutor', 'process'],
]);
const EXECUTOR_METHODS = new Set(['submit', 'map']);

const POOLS = new Map<string, WorkerWorld>([
  ['multiprocessing.Pool', 'process'],
  ['multiprocessing.pool.Pool', 'process'],
  ['multiprocessing.pool.ThreadPool', 'thread'],
]);
const POOL_METHODS = new Set(['apply', 'apply_async', 'map', 'map_async', 'imap', 'imap_unordered', 'starmap', 'starmap_async']);

/** Methods that run the callable once per item: several copies at once. */
export const MAP_METHODS = new Set(['map', 'map_async', 'imap', 'imap_unordered', 'starmap', 'starmap_async']);

const FUNCTIONS = new Map<string, { world: WorkerWorld; slot: number }>([
  ['asyncio.to_thread', { world: 'thread', slot: 0 }],
  ['_thread.start_new_thread', { world: 'thread', slot: 0 }],
  ['_thread.start_new', { world: 'thread', slot: 0 }],
]);

/** The n-th positional argument of a call (splats end the count). */
export function positionalArgument(call: Node, n: number): Node | undefined {
  let i = 0;
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument' || arg.type === 'dictionary_splat') break;
    if (arg.type === 'list_splat') return undefined;
    if (i++ === n) return arg;
  }
  return undefined;
}

/** Inside a loop or comprehension of the same function: the call may run many times at once. */
export function insideLoop(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (['for_statement', 'while_statement', 'list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension'].includes(p.type)) return true;
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return false;
  }
  return false;
}

const WORKER_ATTRIBUTES = new Set(['Thread', 'Timer', 'Process']);
const workerNameCache = new WeakMap<ModuleIndex, Set<string>>();

/** Local names that may construct a worker: imported worker classes and classes with bases defined here. Found once per module. */
function workerNames(module: ModuleIndex): Set<string> {
  let names = workerNameCache.get(module);
  if (!names) {
    names = new Set(module.imports.filter((i) => KIND.worker.has(i.qualified)).map((i) => i.local));
    for (const cls of module.everyOf('class_definition')) {
      const name = cls.childForFieldName('name')?.text;
      if (name && cls.childForFieldName('superclasses')) names.add(name);
    }
    workerNameCache.set(module, names);
  }
  return names;
}

/** The worker kind (`threading.Thread`, `threading.Timer`, `multiprocessing.Process`) a call constructs, if any. */
export function workerKindOf(module: ModuleIndex, call: Node): string | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const name = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.text;
  if (!name || !(callee.type === 'attribute' ? WORKER_ATTRIBUTES.has(name) : workerNames(module).has(name))) return undefined;
  const kind = constructorKind(module, call);
  return kind && KIND.worker.has(kind) ? kind : undefined;
}

function handoffOf(module: ModuleIndex, call: Node, qualified: string | undefined): Handoff | undefined {
  const make = (callable: Node | undefined, receiver: string, world: WorkerWorld, method?: string): Handoff | undefined =>
    callable ? { call, callable, receiver, method, world, fanOut: insideLoop(call) || (!!method && MAP_METHODS.has(method)) } : undefined;
  const fn = qualified ? FUNCTIONS.get(qualified) : undefined;
  if (fn) return make(positionalArgument(call, fn.slot) ?? keywordArgument(call, 'func'), qualified!, fn.world);
  const kind = workerKindOf(module, call);
  if (kind) {
    const world: WorkerWorld = KIND.thread.has(kind) ? 'thread' : 'process';
    const slotName = kind === 'threading.Timer' ? 'function' : 'target';
    return make(keywordArgument(call, slotName) ?? positionalArgument(call, 1), kind, world);
  }
  const m = methodCall(call);
  if (!m) return undefined;
  if (m.method === 'run_in_executor') {
    const executor = positionalArgument(call, 0);
    const executorKind = executor && executor.type !== 'none' ? module.kindOf(executor) : undefined;
    const world = (executorKind ? EXECUTORS.get(executorKind) : undefined) ?? 'thread';
    return make(positionalArgument(call, 1), executorKind ?? 'asyncio.loop', world, m.method);
  }
  if (!EXECUTOR_METHODS.has(m.method) && !POOL_METHODS.has(m.method)) return undefined;
  const receiver = module.kindOf(m.object);
  if (!receiver) return undefined;
  const executorWorld = EXECUTORS.get(receiver);
  if (executorWorld && EXECUTOR_METHODS.has(m.method)) return make(positionalArgument(call, 0) ?? keywordArgument(call, 'fn'), receiver, executorWorld, m.method);
  const poolWorld = POOLS.get(receiver);
  if (poolWorld && POOL_METHODS.has(m.method)) return make(positionalArgument(call, 0) ?? keywordArgument(call, 'func'), receiver, poolWorld, m.method);
  return undefined;
}

const handoffCache = new WeakMap<ModuleIndex, Handoff[]>();

function handoffsIn(module: ModuleIndex, calls: readonly ResolvedCall[]): Handoff[] {
  const found: Handoff[] = [];
  for (const { call, qualified } of calls) {
    const h = handoffOf(module, call, qualified);
    if (h) found.push(h);
  }
  return found;
}

/** Every call in the module that hands a callable to a thread, process, executor or pool. */
export function workerHandoffs(module: ModuleIndex): Handoff[] {
  let found = handoffCache.get(module);
  if (!found) {
    // A handoff reads its call's statement and the outline only: each statement's are kept across edits.
    found = module.keptPerUnit('handoffs', (unit) => handoffsIn(module, module.callsOf(unit)), () => handoffsIn(module, module.everyCall())).flat();
    handoffCache.set(module, found);
  }
  return found;
}

/**
 * Words a module's code must hold for `workerHandoffs` (or `workerFunctions`) to find a worker of
 * the world (`Rule.requires`): the last names of the receivers (`Thread`, `to_thread`,
 * `ThreadPoolExecutor`, see `lastNames`), and `run_in_executor`. A Thread or Process subclass's
 * `run()` needs its base's name too.
 */
export function handoffWords(world?: WorkerWorld): string[] {
  const functions = [...FUNCTIONS].filter(([, f]) => !world || f.world === world).map(([name]) => name);
  const workers = [...KIND.worker].filter((kind) => !world || (KIND.thread.has(kind) ? 'thread' : 'process') === world);
  const pools = [...EXECUTORS, ...POOLS].filter(([, w]) => !world || w === world).map(([kind]) => kind);
  return [...lastNames([...functions, ...workers, ...pools]), 'run_in_executor'];
}

/** A method named `name` defined directly in a class body. */
export function methodOf(cls: Node, name: string): Node | undefined {
  for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
    const def = definitionOf(stmt);
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return undefined;
}

/**
 * The function a callable expression stands for, when it is defined in this module: a def
 * bound to the name, `self.method` of the enclosing class, a lambda (or the def its body calls),
 * or the function wrapped by `functools.partial(...)`.
 */
export function functionOf(module: ModuleIndex, callable: Node, depth = 0): Node | undefined {
  if (depth > 3) return undefined;
  switch (callable.type) {
    case 'identifier': {
      const found = module.lookup(callable.text, callable);
      if (!found || found.bindings.length !== 1) return undefined;
      const b = found.bindings[0];
      if (b.how === 'def') return b.node;
      if (b.how === 'assign' && b.value?.type === 'lambda') return b.value;
      return undefined;
    }
    case 'attribute': {
      const object = callable.childForFieldName('object');
      const name = callable.childForFieldName('attribute')?.text;
      if (object?.type !== 'identifier' || object.text !== 'self' || !name) return undefined;
      const cls = module.classOfSelf(object);
      return cls ? methodOf(cls, name) : undefined;
    }
    case 'lambda': {
      const body = callable.childForFieldName('body');
      const inner = body?.type === 'call' ? body.childForFieldName('function') : undefined;
      return (inner && functionOf(module, inner, depth + 1)) ?? callable;
    }
    case 'call': {
      const callee = callable.childForFieldName('function');
      const wrapped = positionalArgument(callable, 0);
      if (callee && wrapped && module.resolve(callee) === 'functools.partial') return functionOf(module, wrapped, depth + 1);
      return undefined;
    }
    case 'parenthesized_expression':
      return callable.namedChild(0) ? functionOf(module, callable.namedChild(0)!, depth + 1) : undefined;
    default:
      return undefined;
  }
}

/** `run()` methods of classes defined here that subclass Thread or Process. */
function subclassRunMethods(module: ModuleIndex): { fn: Node; world: WorkerWorld }[] {
  const result: { fn: Node; world: WorkerWorld }[] = [];
  for (const cls of module.everyOf('class_definition')) {
    const name = cls.childForFieldName('name');
    if (!name) continue;
    // A class is a worker class when calling it makes a worker.
    const kind = classWorkerKind(module, cls);
    const run = kind ? methodOf(cls, 'run') : undefined;
    if (run && kind) result.push({ fn: run, world: KIND.thread.has(kind) ? 'thread' : 'process' });
  }
  return result;
}

/** The worker kind a class defined here inherits (`class Worker(threading.Thread)`), through other classes of the module. */
export function classWorkerKind(module: ModuleIndex, cls: Node): string | undefined {
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!base || base.type === 'keyword_argument') continue;
    const qualified = module.resolve(base);
    if (qualified && KIND.worker.has(qualified)) return qualified;
    if (base.type === 'identifier') {
      const found = module.lookup(base.text, base);
      const def = found?.bindings.find((b) => b.how === 'class')?.node;
      if (def && def.id !== cls.id && owningScope(def).type === 'module') {
        const inherited = classWorkerKind(module, def);
        if (inherited) return inherited;
      }
    }
  }
  return undefined;
}

const functionCache = new WeakMap<ModuleIndex, WorkerFunction[]>();

/**
 * The functions of this module that run in workers, each with how it gets there. A function
 * handed to both threads and processes appears once per world.
 */
export function workerFunctions(module: ModuleIndex, world?: WorkerWorld): WorkerFunction[] {
  let all = functionCache.get(module);
  if (!all) {
    const byKey = new Map<string, WorkerFunction>();
    for (const h of workerHandoffs(module)) {
      const fn = functionOf(module, h.callable);
      if (!fn) continue;
      const key = `${fn.id}:${h.world}`;
      const entry = byKey.get(key) ?? { fn, world: h.world, handoffs: [], fanOut: false };
      entry.handoffs.push(h);
      entry.fanOut = entry.fanOut || h.fanOut || entry.handoffs.length > 1;
      byKey.set(key, entry);
    }
    for (const { fn, world: w } of subclassRunMethods(module)) {
      const key = `${fn.id}:${w}`;
      if (!byKey.has(key)) byKey.set(key, { fn, world: w, handoffs: [], fanOut: false });
    }
    all = [...byKey.values()].sort((a, b) => a.fn.startIndex - b.fn.startIndex);
    functionCache.set(module, all);
  }
  return world ? all.filter((w) => w.world === world) : all;
}

/** True when the def or lambda runs in a thread of this process. */
export function isThreadTarget(module: ModuleIndex, fn: Node): boolean {
  return workerFunctions(module, 'thread').some((w) => w.fn.id === fn.id);
}

/**
 * The worker kind a call makes when it takes the stock constructor arguments: `Thread`,
 * `Timer`, `Process`, or a subclass defined here that does not define its own `__init__`.
 */
export function stockWorkerKind(module: ModuleIndex, call: Node): string | undefined {
  const kind = workerKindOf(module, call);
  const callee = kind && call.childForFieldName('function');
  if (!kind || !callee) return undefined;
  if (module.resolve(callee) === kind) return kind;
  let cls = callee.type === 'identifier' ? module.lookup(callee.text, callee)?.bindings.find((b) => b.how === 'class')?.node : undefined;
  for (let depth = 0; cls && depth < 5; depth++) {
    if (methodOf(cls, '__init__')) return undefined;
    const base = cls.childForFieldName('superclasses')?.namedChildren.find((b) => b?.type === 'identifier' && !module.resolve(b));
    cls = base ? module.lookup(base.text, base)?.bindings.find((b) => b.how === 'class')?.node : undefined;
  }
  return kind;
}
