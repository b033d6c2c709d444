// Which calls return a coroutine (or another awaitable that only does its job when awaited):
// the module's own `async def` functions and methods, asyncio's coroutine functions, and the
// coroutine methods of asyncio objects bound in the module.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import { definitionOf, isAsyncDef, owningScope } from './scopes';
import { objectKind, localClass } from './objectKinds';

export interface AwaitableCall {
  /** `coroutine`: its body never runs unless awaited; `future`: scheduled, but nobody waits for it. */
  kind: 'coroutine' | 'future';
  /** The `async def` behind it, when it is the module's own. */
  def?: Node;
}

const ASYNCIO_COROUTINES = new Set([
  'sleep', 'wait_for', 'wait', 'to_thread', 'open_connection', 'start_server', 'open_unix_connection',
  'start_unix_server', 'create_subprocess_exec', 'create_subprocess_shell', 'staggered_race',
].map((f) => `asyncio.${f}`));

const ASYNCIO_FUTURES = new Set(['asyncio.gather', 'asyncio.shield']);

const QUEUE = ['get', 'put', 'join'];
/** Coroutine methods per asyncio object kind. */
const COROUTINE_METHODS = new Map<string, Set<string>>([
  ['asyncio.Queue', new Set(QUEUE)], ['asyncio.LifoQueue', new Set(QUEUE)], ['asyncio.PriorityQueue', new Set(QUEUE)],
  ['asyncio.Lock', new Set(['acquire'])], ['asyncio.Semaphore', new Set(['acquire'])], ['asyncio.BoundedSemaphore', new Set(['acquire'])],
  ['asyncio.Event', new Set(['wait'])],
  ['asyncio.Condition', new Set(['acquire', 'wait', 'wait_for'])],
  ['asyncio.Barrier', new Set(['wait', 'reset', 'abort'])],
  ['asyncio.StreamReader', new Set(['read', 'readline', 'readexactly', 'readuntil'])],
  ['asyncio.StreamWriter', new Set(['drain', 'wait_closed', 'start_tls'])],
  ['asyncio.subprocess.Process', new Set(['wait', 'communicate'])],
  ['asyncio.AbstractEventLoop', new Set([
    'sock_recv', 'sock_recv_into', 'sock_recvfrom', 'sock_sendall', 'sock_sendto', 'sock_connect', 'sock_accept',
    'sock_sendfile', 'getaddrinfo', 'getnameinfo', 'create_connection', 'create_server', 'create_datagram_endpoint',
    'create_unix_connection', 'create_unix_server', 'connect_read_pipe', 'connect_write_pipe', 'subprocess_exec',
    'subprocess_shell', 'start_tls', 'sendfile', 'shutdown_asyncgens', 'shutdown_default_executor',
  ])],
]);

/** Decorators that leave an `async def` a coroutine function. Any other decorator may wrap it. */
const TRANSPARENT_DECORATORS = new Set([
  'staticmethod', 'classmethod', 'abc.abstractmethod', 'typing.override', 'typing_extensions.override', 'functools.wraps',
]);

function decoratorsOf(fn: Node): Node[] {
  const holder = fn.parent;
  return holder?.type === 'decorated_definition' ? holder.namedChildren.filter((c): c is Node => c?.type === 'decorator') : [];
}

function decoratorName(module: ModuleIndex, decorator: Node): string {
  let expr = decorator.namedChild(0);
  if (expr?.type === 'call') expr = expr.childForFieldName('function');
  if (!expr) return '';
  return module.resolve(expr) ?? expr.text;
}

/** `async def` whose call returns a coroutine: not an async generator, not wrapped by an unknown decorator. */
export function isCoroutineFunction(module: ModuleIndex, fn: Node): boolean {
  if (!isAsyncDef(fn)) return false;
  const transparent = (d: Node) => {
    const name = decoratorName(module, d);
    return TRANSPARENT_DECORATORS.has(name) || TRANSPARENT_DECORATORS.has(`abc.${name}`) || TRANSPARENT_DECORATORS.has(`typing.${name}`);
  };
  if (!decoratorsOf(fn).every(transparent)) return false;
  return !generatorScopes(module).has(fn.id);
}

/** Ids of the scopes that hold a `yield`: generators. Found once per module. */
function generatorScopes(module: ModuleIndex): Set<number> {
  let ids = module.memo.get('generatorScopes') as Set<number> | undefined;
  if (!ids) {
    ids = new Set(module.everyOf('yield').map((y) => owningScope(y).id));
    module.memo.set('generatorScopes', ids);
  }
  return ids;
}

function isStatic(module: ModuleIndex, fn: Node): boolean {
  return decoratorsOf(fn).some((d) => decoratorName(module, d) === 'staticmethod');
}

/** Methods defined directly in a class body, by name (the last definition wins). */
function methodOf(cls: Node, name: string): Node | undefined {
  let found: Node | undefined;
  for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
    const def = definitionOf(stmt);
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) found = def;
    else if (def?.type === 'expression_statement' && def.namedChild(0)?.type === 'assignment') {
      const left = def.namedChild(0)!.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === name) found = undefined; // rebound as an attribute
    }
  }
  return found;
}

/** A method looked up in the class and, depth first, its bases defined in the module. */
export function findMethod(module: ModuleIndex, cls: Node, name: string, depth = 0): Node | undefined {
  const own = methodOf(cls, name);
  if (own || depth > 8) return own;
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (base?.type !== 'identifier') continue;
    const parent = localClass(module, base);
    const found = parent && parent.id !== cls.id ? findMethod(module, parent, name, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The class whose method has `name` (`self`, `cls`) as its first parameter at this node. */
function classOfReceiver(module: ModuleIndex, receiver: Node): Node | undefined {
  const found = module.lookup(receiver.text, receiver);
  const param = found?.bindings.length === 1 && found.bindings[0].how === 'param' ? found.bindings[0].node : undefined;
  const fn = found?.scope;
  if (!param || fn?.type !== 'function_definition' || isStatic(module, fn)) return undefined;
  const first = fn.childForFieldName('parameters')?.namedChildren.find((p) => p?.type !== 'comment');
  const firstName = first?.type === 'identifier' ? first : first?.namedChildren.find((c) => c?.type === 'identifier');
  if (firstName?.id !== param.id) return undefined;
  const cls = owningScope(fn);
  return cls.type === 'class_definition' ? cls : undefined;
}

const EXPECT_CONTEXTS = /^(assertRaises|assertRaisesRegex|assertWarns|assertWarnsRegex)$/;

/**
 * Inside `with self.assertRaises(...)`, `pytest.raises(...)` or their `warns` siblings: the test
 * expects the statement to fail or warn, so what happens to its result does not matter.
 */
export function insideExpectBlock(module: ModuleIndex, node: Node): boolean {
  const scope = owningScope(node);
  for (let current = node.parent; current && current.id !== scope.id; current = current.parent) {
    if (current.type !== 'with_statement') continue;
    for (const item of current.childForFieldName('body') ? current.descendantsOfType('with_item') : []) {
      if (item?.parent?.parent?.id !== current.id) continue;
      const value = item.childForFieldName('value');
      const call = value?.type === 'as_pattern' ? value.namedChild(0) : value;
      const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
      if (!callee) continue;
      const method = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text ?? '' : '';
      const qualified = module.resolve(callee) ?? '';
      if (EXPECT_CONTEXTS.test(method) || qualified === 'pytest.raises' || qualified === 'pytest.warns') return true;
    }
  }
  return false;
}

const names = new WeakMap<ModuleIndex, Set<string>>();

/**
 * Every name a call must end with to be worth a closer look: async defs, and when the module imports
 * asyncio (the only way a name resolves to asyncio's functions or an object gets an asyncio kind),
 * coroutine methods, asyncio functions and imported names.
 */
function candidateNames(module: ModuleIndex): Set<string> {
  let found = names.get(module);
  if (found) return found;
  found = new Set<string>();
  for (const fn of module.everyOf('function_definition')) if (isAsyncDef(fn)) found.add(fn.childForFieldName('name')?.text ?? '');
  names.set(module, found);
  if (!module.importsModule('asyncio')) return found;
  for (const methods of COROUTINE_METHODS.values()) for (const m of methods) found.add(m);
  for (const name of [...ASYNCIO_COROUTINES, ...ASYNCIO_FUTURES]) found.add(name.split('.').pop()!);
  for (const imp of module.imports) found.add(imp.local);
  return found;
}

/** What awaitable a call returns, if it is one this module can tell. */
export function awaitableCall(module: ModuleIndex, call: Node): AwaitableCall | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const last = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.type === 'identifier' ? callee.text : undefined;
  if (!last || !candidateNames(module).has(last)) return undefined;
  if (callee.type === 'identifier') {
    const found = module.lookup(callee.text, callee);
    if (found) {
      const defs = found.bindings;
      if (defs.length === 0 || !defs.every((b) => b.how === 'def' && isCoroutineFunction(module, b.node))) return undefined;
      return { kind: 'coroutine', def: defs[defs.length - 1].node };
    }
  }
  const qualified = module.resolve(callee);
  if (qualified && ASYNCIO_COROUTINES.has(qualified)) return { kind: 'coroutine' };
  if (qualified && ASYNCIO_FUTURES.has(qualified)) return { kind: 'future' };
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const method = callee.childForFieldName('attribute')?.text;
  if (!object || !method) return undefined;
  let cls: Node | undefined;
  if (object.type === 'identifier') cls = classOfReceiver(module, object) ?? localClass(module, object);
  const kind = cls ? undefined : objectKind(module, object);
  if (kind?.cls) cls = kind.cls;
  if (cls) {
    const def = findMethod(module, cls, method);
    return def && isCoroutineFunction(module, def) ? { kind: 'coroutine', def } : undefined;
  }
  return kind && COROUTINE_METHODS.get(kind.kind)?.has(method) ? { kind: 'coroutine' } : undefined;
}
