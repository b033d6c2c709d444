// Blocking calls in async context, shared by PCC102–PCC106: when a call counts as blocking the
// event loop, and the fix that runs it in a worker thread instead:
// `await asyncio.to_thread(fn, *args, **kwargs)` (trio/anyio: `await trio.to_thread.run_sync(...)`).
import type { TextEdit } from 'vscode-languageserver-types';
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import type { Fix } from '../rules/rule';
import { inAsyncContext, isAsyncDef, owningScope, functionName } from './scopes';
import { THREAD_RUNNERS, type ObjectKind } from './objectKinds';
import { asyncLibrary } from '../rules/blockingSleepInAsync';
import { addImports, eol, lineIndent } from '../fixes/edits';
import { rangeOf } from '../text/positions';

/** Calls whose arguments run elsewhere: a call passed straight to them is PCC202's business. */
const HANDOFFS = new Set([...THREAD_RUNNERS, 'functools.partial', 'trio.wrap_file', 'anyio.wrap_file']);

/** `asyncio.to_thread(requests.get(url))`, `loop.run_in_executor(None, open(p))`, `trio.wrap_file(open(p))`. */
function passedToRunner(module: ModuleIndex, call: Node): boolean {
  const list = call.parent;
  const outer = list?.type === 'argument_list' ? list.parent : undefined;
  const callee = outer?.type === 'call' ? outer.childForFieldName('function') : undefined;
  if (!callee) return false;
  if (HANDOFFS.has(module.resolve(callee) ?? '')) return true;
  return callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'run_in_executor';
}

/** Cheap early return for the blocking rules: a module without `async def` has no async context. */
export function hasAsyncDef(module: ModuleIndex): boolean {
  return module.everyOf('function_definition').some(isAsyncDef);
}

/**
 * The async function a call blocks, or undefined when it does not: the call is not in async
 * context (module level, a nested plain `def`, a lambda) or is handed to a thread runner.
 */
export function blockedFunction(module: ModuleIndex, call: Node): string | undefined {
  if (!inAsyncContext(call) || passedToRunner(module, call)) return undefined;
  return functionName(owningScope(call));
}

/**
 * True when the object was made by a call that itself blocks the event loop (`open()` right in the
 * coroutine): that call is flagged, so waits on the object are not flagged a second time.
 */
export function madeOnLoop(module: ModuleIndex, kind: ObjectKind): boolean {
  return kind.origins.some((origin) => origin.type === 'call' && blockedFunction(module, origin) !== undefined);
}

/** The call as the user wrote it, for messages: `requests.get()`, `session.get()`. */
export function calleeText(call: Node): string {
  const callee = call.childForFieldName('function');
  return oneLine(callee?.text ?? call.text);
}

/** Source text on one line: line breaks and the indentation around them removed. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, '');
}

/** `await x` must be parenthesised where a primary is expected: `(await x).attr`, `(await x)[0]`, `(await x)()`. */
function needsParens(call: Node): boolean {
  const parent = call.parent;
  if (!parent) return false;
  if (parent.type === 'attribute') return parent.childForFieldName('object')?.id === call.id;
  if (parent.type === 'subscript') return parent.childForFieldName('value')?.id === call.id;
  if (parent.type === 'call') return parent.childForFieldName('function')?.id === call.id;
  return false;
}

/** Inside a generator expression an `await` would turn it into an async generator. */
function inGeneratorExpression(call: Node): boolean {
  const scope = owningScope(call);
  for (let node = call.parent; node && node.id !== scope.id; node = node.parent) {
    if (node.type === 'generator_expression') return true;
  }
  return false;
}

/** The local name of an imported module (`aio` for `import asyncio as aio`), or undefined. */
function importedAs(module: ModuleIndex, name: string): string | undefined {
  const imp = module.imports.find((i) => i.qualified === name && i.node.type === 'import_statement');
  return imp?.local;
}

/**
 * The fix that runs the call in a worker thread, keeping its arguments, comments and layout:
 * `requests.get(url, timeout=5)` becomes `await asyncio.to_thread(requests.get, url, timeout=5)`.
 * trio and anyio's `run_sync` take no keyword arguments: those go through `functools.partial`.
 */
export function toThreadFix(module: ModuleIndex, call: Node): Fix | undefined {
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!callee || args?.type !== 'argument_list' || inGeneratorExpression(call)) return undefined;
  const library = asyncLibrary(module);
  const missing: string[] = [];
  const lib = importedAs(module, library) ?? (missing.push(`import ${library}`), library);
  const runner = library === 'asyncio' ? `${lib}.to_thread` : `${lib}.to_thread.run_sync`;
  const realArgs = args.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment');
  const keywords = realArgs.some((a) => a.type === 'keyword_argument' || a.type === 'dictionary_splat');
  const partial = library !== 'asyncio' && keywords;
  const functools = partial ? importedAs(module, 'functools') ?? (missing.push('import functools'), 'functools') : '';

  const awaited = call.parent?.type === 'await';
  const parens = !awaited && needsParens(call);
  const fn = callee.text;
  const head = `${parens ? '(' : ''}${awaited ? '' : 'await '}${runner}(${partial ? `${functools}.partial(` : ''}`;
  const open = { line: args.startPosition.row, character: args.startPosition.column + 1 };
  const start = rangeOf(call).start;
  const end = rangeOf(call).end;
  const edits: TextEdit[] = [];
  if (realArgs.length > 0 && realArgs[0].startPosition.row > args.startPosition.row) {
    // `f(  # note\n    x)`: what follows `(` stays on its line; the callee gets a line of its own.
    const lineEnd = { line: open.line, character: (module.lines()[open.line] ?? '').length };
    const indent = lineIndent(module, realArgs[0].startPosition.row);
    edits.push({ range: { start, end: open }, newText: head });
    edits.push({ range: { start: lineEnd, end: lineEnd }, newText: `${eol(module)}${indent}${fn},` });
  } else {
    edits.push({ range: { start, end: open }, newText: `${head}${fn}${realArgs.length ? ', ' : ''}` });
  }
  const closing = `${partial ? ')' : ''}${parens ? ')' : ''}`;
  if (closing) edits.push({ range: { start: end, end }, newText: closing });
  if (missing.length) edits.push(...addImports(module, missing));
  const shown = `${runner}(${oneLine(fn)}${realArgs.length ? ', ...' : ''})`;
  return { title: `Run in a worker thread: \`await ${shown}\``, safe: false, edits };
}
