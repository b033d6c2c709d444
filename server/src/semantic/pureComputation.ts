// Is a function pure-Python computation? Loops doing arithmetic, and calls only to builtins,
// `math`, methods of its own local values, or other pure functions of the module. Anything
// else (I/O, locks, queues, sleeps, C libraries that may release the GIL) makes it "not pure".
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import { ownNodes } from './functionBodies';
import { functionOf } from './workerTargets';

const PURE_BUILTINS = new Set([
  'range', 'len', 'abs', 'min', 'max', 'sum', 'int', 'float', 'complex', 'divmod', 'pow', 'round',
  'enumerate', 'zip', 'list', 'dict', 'set', 'frozenset', 'tuple', 'bool', 'isinstance', 'sorted',
  'reversed', 'hash', 'ord', 'chr', 'all', 'any', 'map', 'filter', 'str', 'bin', 'hex', 'oct',
]);
const PURE_MODULES = ['math.', 'cmath.', 'operator.', 'fractions.', 'decimal.'];
/** Methods of lists, dicts, sets and numbers that only compute. */
const PURE_METHODS = new Set([
  'append', 'extend', 'insert', 'pop', 'add', 'discard', 'remove', 'update', 'get', 'setdefault',
  'items', 'keys', 'values', 'copy', 'index', 'count', 'sort', 'reverse', 'clear', 'bit_length',
  'is_integer', 'conjugate',
]);
const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^', '@']);
const LOOPS = ['for_statement', 'while_statement', 'list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension'];

/** Names bound in the function itself (parameters and locals). */
function isLocalName(module: ModuleIndex, id: Node, fn: Node): boolean {
  return id.type === 'identifier' && module.lookup(id.text, id)?.scope.id === fn.id;
}

function pureCall(module: ModuleIndex, call: Node, fn: Node, seen: Set<number>): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  if (callee.type === 'identifier' && PURE_BUILTINS.has(callee.text) && !module.lookup(callee.text, callee)) return true;
  const qualified = module.resolve(callee);
  if (qualified) return PURE_MODULES.some((m) => qualified.startsWith(m));
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text ?? '';
    if (object && PURE_METHODS.has(method) && isLocalName(module, object, fn)) return true;
  }
  const target = functionOf(module, callee);
  return !!target && target.type === 'function_definition' && isPure(module, target, seen);
}

/** No I/O, locks, sleeps or unknown calls: every call computes (recursion allowed). */
export function isPure(module: ModuleIndex, fn: Node, seen = new Set<number>()): boolean {
  if (seen.has(fn.id)) return true;
  seen.add(fn.id);
  if (fn.firstChild?.type === 'async') return false;
  if (ownNodes(fn, 'with_statement', 'await', 'yield', 'global_statement', 'nonlocal_statement', 'function_definition', 'class_definition', 'lambda').length > 0) return false;
  return ownNodes(fn, 'call').every((call) => pureCall(module, call, fn, seen));
}

/** A loop (or comprehension) whose body does arithmetic. */
export function loopsWithArithmetic(fn: Node): boolean {
  return ownNodes(fn, ...LOOPS).some((loop) => {
    const ops = [...loop.descendantsOfType('binary_operator'), ...loop.descendantsOfType('augmented_assignment')];
    return ops.some((op) => {
      const operator = op?.childForFieldName('operator')?.text ?? '';
      return ARITHMETIC.has(operator.replace(/=$/, ''));
    });
  });
}

/** Loops with arithmetic here, or calls to functions of the module that have them. */
function computes(module: ModuleIndex, fn: Node, seen: Set<number>): boolean {
  if (seen.has(fn.id)) return false;
  seen.add(fn.id);
  if (loopsWithArithmetic(fn)) return true;
  return ownNodes(fn, 'call').some((call) => {
    const callee = call.childForFieldName('function');
    const target = callee && functionOf(module, callee);
    return target?.type === 'function_definition' && computes(module, target, seen);
  });
}

/** Pure-Python computation: loops with arithmetic (here or in the functions it calls) and only pure calls. */
export function isCpuBound(module: ModuleIndex, fn: Node): boolean {
  return fn.type === 'function_definition' && computes(module, fn, new Set()) && isPure(module, fn);
}
