// Object kinds beyond the constructor table of kinds.ts: factory functions (`requests.session()`,
// `socket.create_connection()`), results of methods (`executor.submit()` is a Future), objects made
// in a worker thread (`await asyncio.to_thread(open, path)` is a file), parameter annotations,
// and instances of classes defined in the module. Rules that ask "what is this object?" and also
// "where did it come from?" use `objectKind`; it falls back to `ModuleIndex.kindOf`.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import type { LocalBinding } from './bindings';

export interface ObjectKind {
  /** Qualified kind (`requests.Session`, `file`, `concurrent.futures.Future`, `class Service`). */
  kind: string;
  /** The expressions the object came from: bound values, or the expression itself. */
  origins: Node[];
  /** For `class X` kinds: the class definition. */
  cls?: Node;
}

const OPENERS = ['builtins.open', 'io.open', 'io.open_code', 'os.fdopen', 'codecs.open', 'gzip.open', 'bz2.open', 'lzma.open'];
const PATHS = ['pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath', 'pathlib.Path.cwd', 'pathlib.Path.home'];
const URLLIB3_POOLS = [
  'urllib3.PoolManager', 'urllib3.ProxyManager', 'urllib3.HTTPConnectionPool', 'urllib3.HTTPSConnectionPool',
  'urllib3.connection_from_url', 'urllib3.proxy_from_url', 'urllib3.poolmanager.PoolManager',
  'urllib3.connectionpool.HTTPConnectionPool', 'urllib3.connectionpool.HTTPSConnectionPool',
];

/** Calls (or annotations) whose result is an object of the kind. */
const FACTORIES = new Map<string, string>([
  ['requests.Session', 'requests.Session'], ['requests.session', 'requests.Session'], ['requests.sessions.Session', 'requests.Session'],
  ['httpx.Client', 'httpx.Client'],
  ...URLLIB3_POOLS.map((name): [string, string] => [name, 'urllib3.PoolManager']),
  ['http.client.HTTPConnection', 'http.client.HTTPConnection'], ['http.client.HTTPSConnection', 'http.client.HTTPConnection'],
  ['socket.socket', 'socket.socket'], ['socket.create_connection', 'socket.socket'], ['socket.create_server', 'socket.socket'],
  ['socket.fromfd', 'socket.socket'],
  ['subprocess.Popen', 'subprocess.Popen'],
  ['asyncio.TaskGroup', 'asyncio.TaskGroup'],
  ['asyncio.get_running_loop', 'asyncio.AbstractEventLoop'], ['asyncio.get_event_loop', 'asyncio.AbstractEventLoop'],
  ['asyncio.new_event_loop', 'asyncio.AbstractEventLoop'], ['asyncio.AbstractEventLoop', 'asyncio.AbstractEventLoop'],
  ['concurrent.futures.Future', 'concurrent.futures.Future'],
  ...OPENERS.map((name): [string, string] => [name, 'file']),
  ...PATHS.map((name): [string, string] => [name, 'pathlib.Path']),
]);

/** `object.method(...)` results: kind of the object → method → kind of the result. */
const METHOD_RESULTS = new Map<string, Map<string, string>>([
  ...['concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor', 'concurrent.futures.InterpreterPoolExecutor']
    .map((k): [string, Map<string, string>] => [k, new Map([['submit', 'concurrent.futures.Future']])]),
  ...['multiprocessing.Pool', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool'].map((k): [string, Map<string, string>] => [
    k, new Map([['apply_async', 'multiprocessing.pool.AsyncResult'], ['map_async', 'multiprocessing.pool.AsyncResult'], ['starmap_async', 'multiprocessing.pool.AsyncResult']]),
  ]),
  ['socket.socket', new Map([['dup', 'socket.socket']])],
  ['pathlib.Path', new Map([['open', 'file'], ...['joinpath', 'with_name', 'with_suffix', 'with_stem', 'resolve', 'absolute', 'expanduser'].map((m): [string, string] => [m, 'pathlib.Path'])])],
  ['file', new Map([['__enter__', 'file']])],
]);

/** Awaited calls whose result has a kind: `await asyncio.create_subprocess_exec(...)`. */
const AWAITED_RESULTS = new Map([
  ['asyncio.create_subprocess_exec', 'asyncio.subprocess.Process'],
  ['asyncio.create_subprocess_shell', 'asyncio.subprocess.Process'],
]);

/** `reader, writer = await asyncio.open_connection(...)`: the kinds by position. */
const AWAITED_PAIRS = new Map([
  ['asyncio.open_connection', ['asyncio.StreamReader', 'asyncio.StreamWriter']],
  ['asyncio.open_unix_connection', ['asyncio.StreamReader', 'asyncio.StreamWriter']],
]);

/** Calls that run a function in a worker thread: the function is their first argument. */
export const THREAD_RUNNERS = new Set(['asyncio.to_thread', 'trio.to_thread.run_sync', 'anyio.to_thread.run_sync']);

/** Kinds a parameter annotation may name directly (`lock: threading.Lock`). */
const TABLE_KINDS = new Set([
  'threading.Thread', 'threading.Lock', 'threading.RLock', 'threading.Semaphore', 'threading.BoundedSemaphore',
  'threading.Condition', 'threading.Event', 'threading.Barrier', 'queue.Queue', 'queue.LifoQueue',
  'queue.PriorityQueue', 'queue.SimpleQueue', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool',
  'asyncio.Lock', 'asyncio.Semaphore', 'asyncio.BoundedSemaphore', 'asyncio.Condition', 'asyncio.Event',
  'asyncio.Queue', 'asyncio.LifoQueue', 'asyncio.PriorityQueue', 'asyncio.Barrier', 'asyncio.StreamReader',
  'asyncio.StreamWriter', 'asyncio.subprocess.Process',
]);

const cache = new WeakMap<ModuleIndex, Map<number, ObjectKind | undefined>>();

/** The kind of object an expression stands for, with where it came from. */
export function objectKind(module: ModuleIndex, expr: Node): ObjectKind | undefined {
  let table = cache.get(module);
  if (!table) cache.set(module, (table = new Map()));
  if (table.has(expr.id)) return table.get(expr.id);
  table.set(expr.id, undefined); // guards against cycles (`x = x.resolve()`)
  const result = compute(module, expr);
  table.set(expr.id, result);
  return result;
}

function compute(module: ModuleIndex, expr: Node): ObjectKind | undefined {
  switch (expr.type) {
    case 'parenthesized_expression': {
      const inner = expr.namedChild(0);
      return inner ? objectKind(module, inner) : undefined;
    }
    case 'call': {
      const kind = callKind(module, expr);
      return kind ? { ...kind, origins: [expr] } : undefined;
    }
    case 'await': {
      const kind = awaitedKind(module, expr);
      return kind ? { kind, origins: [expr] } : undefined;
    }
    case 'identifier':
      return nameKind(module, expr);
    case 'attribute':
      return attributeKind(module, expr);
    case 'binary_operator': {
      const left = expr.childForFieldName('left');
      const op = expr.childForFieldName('operator')?.text;
      const kind = op === '/' && left ? objectKind(module, left) : undefined;
      return kind?.kind === 'pathlib.Path' ? { kind: kind.kind, origins: [expr] } : undefined;
    }
    default:
      return undefined;
  }
}

function fromTable(module: ModuleIndex, expr: Node): ObjectKind | undefined {
  const kind = module.kindOf(expr);
  return kind ? { kind: FACTORIES.get(kind) ?? kind, origins: [expr] } : undefined;
}

function callKind(module: ModuleIndex, call: Node): Omit<ObjectKind, 'origins'> | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const qualified = module.resolve(callee);
  if (qualified && FACTORIES.has(qualified)) return { kind: FACTORIES.get(qualified)! };
  const known = module.kindOf(call);
  if (known) return { kind: FACTORIES.get(known) ?? known };
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text ?? '';
    const owner = object ? objectKind(module, object) : undefined;
    const result = owner ? METHOD_RESULTS.get(owner.kind)?.get(method) : undefined;
    return result ? { kind: result } : undefined;
  }
  if (callee.type === 'identifier') {
    const cls = localClass(module, callee);
    if (cls) return { kind: `class ${cls.childForFieldName('name')?.text}`, cls };
  }
  return undefined;
}

/** A class defined in this module that the name refers to. */
export function localClass(module: ModuleIndex, name: Node): Node | undefined {
  const found = module.lookup(name.text, name);
  const defs = found?.bindings ?? [];
  if (defs.length !== 1 || defs[0].how !== 'class') return undefined;
  return defs[0].node;
}

/** `await to_thread(open, ...)` is a file; `await asyncio.create_subprocess_exec(...)` an asyncio process. */
function awaitedKind(module: ModuleIndex, awaited: Node): string | undefined {
  const call = awaited.namedChild(0);
  if (call?.type !== 'call') return undefined;
  const qualified = module.resolve(call.childForFieldName('function')!) ?? '';
  if (AWAITED_RESULTS.has(qualified)) return AWAITED_RESULTS.get(qualified);
  if (!THREAD_RUNNERS.has(qualified)) return undefined;
  const fn = call.childForFieldName('arguments')?.namedChildren.find((a) => a?.type !== 'comment');
  if (!fn) return undefined;
  const fnName = module.resolve(fn);
  if (fnName) return FACTORIES.get(fnName);
  // `await asyncio.to_thread(path.open, "a")`: a method whose result has a kind.
  const object = fn.type === 'attribute' ? fn.childForFieldName('object') : undefined;
  const owner = object ? objectKind(module, object) : undefined;
  return owner ? METHOD_RESULTS.get(owner.kind)?.get(fn.childForFieldName('attribute')?.text ?? '') : undefined;
}

function agree(results: (ObjectKind | undefined)[]): ObjectKind | undefined {
  const known = results.filter((r): r is ObjectKind => r !== undefined);
  if (known.length === 0 || known.some((k) => k.kind !== known[0].kind)) return undefined;
  return { kind: known[0].kind, origins: known.flatMap((k) => k.origins), cls: known[0].cls };
}

function nameKind(module: ModuleIndex, name: Node): ObjectKind | undefined {
  const found = module.lookup(name.text, name);
  if (!found) return undefined;
  const mine = agree(found.bindings.map((b) => bindingKind(module, b, name.text)));
  return mine ?? fromTable(module, name);
}

function bindingKind(module: ModuleIndex, binding: LocalBinding, name: string): ObjectKind | undefined {
  if ((binding.how === 'assign' || binding.how === 'with') && binding.value) return objectKind(module, binding.value);
  if (binding.how === 'assign' && binding.node.type === 'assignment') return unpackedKind(module, binding.node, name);
  if (binding.how === 'param') return annotatedKind(module, binding.node);
  return undefined;
}

/** `conn, addr = sock.accept()` and `reader, writer = await asyncio.open_connection(...)`. */
function unpackedKind(module: ModuleIndex, assign: Node, name: string): ObjectKind | undefined {
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  if (!left || !right || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern')) return undefined;
  const index = left.namedChildren.findIndex((n) => n?.type === 'identifier' && n.text === name);
  if (index < 0) return undefined;
  if (right.type === 'await' && right.namedChild(0)?.type === 'call') {
    const callee = right.namedChild(0)!.childForFieldName('function');
    const pair = callee ? AWAITED_PAIRS.get(module.resolve(callee) ?? '') : undefined;
    if (pair?.[index]) return { kind: pair[index], origins: [right] };
  }
  // `sock.accept()`, also run in a worker thread: `await asyncio.to_thread(sock.accept)`.
  const inThread = right.type === 'await' ? right.namedChild(0) : undefined;
  const runner = inThread?.type === 'call' ? module.resolve(inThread.childForFieldName('function')!) : undefined;
  const fn = runner && THREAD_RUNNERS.has(runner) ? inThread!.childForFieldName('arguments')?.namedChildren.find((a) => a?.type !== 'comment') : undefined;
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'accept' && index === 0) {
    const owner = objectKind(module, fn.childForFieldName('object')!);
    if (owner?.kind === 'socket.socket') return { kind: 'socket.socket', origins: [right] };
  }
  if (right.type === 'call' && index === 0) {
    const callee = right.childForFieldName('function');
    if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'accept') {
      const owner = objectKind(module, callee.childForFieldName('object')!);
      if (owner?.kind === 'socket.socket') return { kind: 'socket.socket', origins: [right] };
    }
  }
  return undefined;
}

/** A parameter annotated with a known type: `sock: socket.socket`, `path: Path`. */
function annotatedKind(module: ModuleIndex, param: Node): ObjectKind | undefined {
  const holder = param.parent;
  if (holder?.type !== 'typed_parameter' && holder?.type !== 'typed_default_parameter') return undefined;
  const type = holder.childForFieldName('type')?.namedChild(0);
  const qualified = type ? module.resolve(type) : undefined;
  const kind = qualified ? FACTORIES.get(qualified) ?? (TABLE_KINDS.has(qualified) ? qualified : undefined) : undefined;
  if (!kind) return undefined;
  return { kind, origins: [param] };
}

/**
 * Assignments to an attribute (`self.x = ...`), by the target's text without whitespace, in
 * document order. Built once per module.
 */
function attributeAssignments(module: ModuleIndex): Map<string, Node[]> {
  let table = module.memo.get('attributeAssignments') as Map<string, Node[]> | undefined;
  if (table) return table;
  table = new Map();
  for (const { assign, key } of module.attributeAssignments()) {
    const list = table.get(key);
    if (list) list.push(assign);
    else table.set(key, [assign]);
  }
  module.memo.set('attributeAssignments', table);
  return table;
}

/** `self.x`: what `self.x = ...` binds anywhere in the class; `path.parent` of a Path. */
function attributeKind(module: ModuleIndex, expr: Node): ObjectKind | undefined {
  const object = expr.childForFieldName('object');
  const attr = expr.childForFieldName('attribute')?.text;
  if (!object || !attr) return undefined;
  if (attr === 'parent' || attr === 'parents') {
    const owner = objectKind(module, object);
    if (owner?.kind === 'pathlib.Path' && attr === 'parent') return { kind: 'pathlib.Path', origins: [expr] };
  }
  if (object.type !== 'identifier' || object.text !== 'self') return fromTable(module, expr);
  const cls = module.classOfSelf(object);
  if (!cls) return undefined;
  const results: (ObjectKind | undefined)[] = [];
  for (const assign of attributeAssignments(module).get(`self.${attr}`) ?? []) {
    const left = assign.childForFieldName('left')!;
    const owner = module.classOfSelf(left.childForFieldName('object')!);
    const right = assign.childForFieldName('right');
    if (owner?.id === cls.id && right) results.push(objectKind(module, right));
  }
  return agree(results) ?? fromTable(module, expr);
}
