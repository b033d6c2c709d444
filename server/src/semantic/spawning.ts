// Code that starts child processes, and whether it runs when the module is imported.
import type { Node } from '../trees';
import type { ModuleIndex, ResolvedCall } from './module';
import { KIND } from './kinds';
import { methodCall } from './statements';
import { definitionOf, owningScope } from './scopes';
import { creatingCalls, setsForkStartMethod, shortKind, SPAWNING_CONSTRUCTORS, underMainGuard, usesFork } from './processes';
import { constructorKind } from './constructors';

export interface SpawnSite {
  /** The module-level call that runs at import: the constructor, `p.start()`, or `main()`. */
  call: Node;
  /** What it starts, for messages: `Pool`, `ProcessPoolExecutor`, `Manager`, `Process`. */
  what: string;
  /** For a call to a function of the module: the place inside it that starts the processes. */
  inner?: Node;
  /** For `p.start()`: where `p` was created, when that is module-level code too. */
  origin?: Node;
}

/** A call that starts processes itself: a pool, executor or manager, or `start()` on a Process. */
export function directSpawn(module: ModuleIndex, call: Node): string | undefined {
  const kind = constructorKind(module, call);
  if (kind && SPAWNING_CONSTRUCTORS.has(kind)) return usesFork(module, call) ? undefined : shortKind(kind);
  const m = methodCall(call);
  if (m?.method !== 'start') return undefined;
  const objectKind = module.kindOf(m.object);
  if (!objectKind || !KIND.process.has(objectKind)) return undefined;
  return creatingCalls(module, m.object).some((c) => usesFork(module, c)) ? undefined : 'Process';
}

/** True when the node runs as the module is imported: not inside a function or lambda body. */
export function runsAtImport(node: Node): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if ((parent.type === 'function_definition' || parent.type === 'lambda') && parent.childForFieldName('body')?.id === child.id) return false;
  }
  return true;
}

/**
 * False when `directSpawn` of the call is surely undefined: a callee that names no constructor
 * (`ModuleIndex.mayConstruct`) and is no `.start` method. Cheaper than asking it.
 */
function maySpawn(module: ModuleIndex, callee: Node): boolean {
  return module.mayConstruct(callee) || (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'start');
}

const spawnCache = new WeakMap<ModuleIndex, Map<number, { call: Node; what: string }>>();

/** The module's calls that start processes themselves (`directSpawn`), by id, in document order. Found once per module. */
function directSpawns(module: ModuleIndex): Map<number, { call: Node; what: string }> {
  let found = spawnCache.get(module);
  if (!found) {
    found = new Map();
    // A spawn reads its call's statement, the outline and whether the module sets the fork start
    // method: each statement's are kept across edits, apart for each answer to the last.
    const fork = setsForkStartMethod(module);
    const lists = module.keptPerUnit(`spawns ${fork}`, (unit) => spawnsIn(module, module.callsOf(unit)), () => spawnsIn(module, module.everyCall()));
    for (const list of lists) for (const spawn of list) found.set(spawn.call.id, spawn);
    spawnCache.set(module, found);
  }
  return found;
}

function spawnsIn(module: ModuleIndex, calls: readonly ResolvedCall[]): { call: Node; what: string }[] {
  const found: { call: Node; what: string }[] = [];
  for (const { call, callee } of calls) {
    if (!maySpawn(module, callee)) continue;
    const what = directSpawn(module, call);
    if (what) found.push({ call, what });
  }
  return found;
}

function isInside(node: Node, ancestor: Node): boolean {
  for (let p: Node | null = node; p; p = p.parent) if (p.id === ancestor.id) return true;
  return false;
}

/** Module-level functions that start processes when called, directly or through each other. */
function spawningFunctions(module: ModuleIndex): Map<number, { what: string; inner: Node }> {
  const found = new Map<number, { what: string; inner: Node }>();
  const spawns = directSpawns(module);
  // Nothing starts processes directly: no function does, however they call each other.
  if (spawns.size === 0) return found;
  const defs = module.everyOf('function_definition').filter((def) => {
    const scope = owningScope(def);
    return scope.type === 'module' || (isInit(def) && owningScope(scope).type === 'module');
  });
  for (const def of defs) {
    // The first call inside the def, in document order, that starts processes.
    for (const { call, what } of spawns.values()) {
      if (!isInside(call, def)) continue;
      found.set(def.id, { what, inner: call });
      break;
    }
  }
  const callsIn = new Map<number, Node[]>();
  for (const def of defs) if (!found.has(def.id)) callsIn.set(def.id, def.descendantsOfType('call').filter((c): c is Node => !!c));
  for (let changed = true; changed; ) {
    changed = false;
    for (const def of defs) {
      if (found.has(def.id)) continue;
      for (const call of callsIn.get(def.id)!) {
        const target = calledFunction(module, call);
        const hit = target && found.get(target.id);
        if (hit) {
          found.set(def.id, hit);
          changed = true;
          break;
        }
      }
    }
  }
  return found;
}

function isInit(def: Node): boolean {
  return def.childForFieldName('name')?.text === '__init__' && owningScope(def).type === 'class_definition';
}

/** The module-level `def` a plain-name call runs: the function, or the `__init__` of a class. */
function calledFunction(module: ModuleIndex, call: Node): Node | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier') return undefined;
  const found = module.lookup(callee.text, callee);
  if (found?.scope.type !== 'module' || found.bindings.length !== 1) return undefined;
  const [binding] = found.bindings;
  if (binding.how === 'def') return binding.node;
  if (binding.how !== 'class') return undefined;
  const body = binding.node.childForFieldName('body');
  for (const stmt of body?.namedChildren ?? []) {
    const def = definitionOf(stmt);
    if (def?.type === 'function_definition' && isInit(def)) return def;
  }
  return undefined;
}

/** Calls that start child processes when the module is imported, outside a main guard. */
export function importTimeSpawns(module: ModuleIndex): SpawnSite[] {
  const functions = spawningFunctions(module);
  const spawns = directSpawns(module);
  const sites: SpawnSite[] = [];
  if (spawns.size === 0) return sites; // then no function starts processes either
  for (const { call } of module.everyCall()) {
    if (!runsAtImport(call) || underMainGuard(call)) continue;
    const what = spawns.get(call.id)?.what;
    if (what) {
      const object = what === 'Process' ? methodCall(call)?.object : undefined;
      const origin = object && creatingCalls(module, object).find((c) => c.startIndex < call.startIndex && runsAtImport(c) && !underMainGuard(c));
      sites.push({ call, what, origin });
      continue;
    }
    const target = functions.size > 0 ? calledFunction(module, call) : undefined;
    const hit = target && functions.get(target.id);
    if (hit) sites.push({ call, what: hit.what, inner: hit.inner });
  }
  return sites;
}
