// Local bindings per scope: which names a function, class or module binds, and to what.
import type { Node } from '../trees';
import { owningScope } from './scopes';

export type BindingHow = 'assign' | 'augassign' | 'param' | 'for' | 'with' | 'def' | 'class' | 'except' | 'global';

export interface LocalBinding {
  name: string;
  how: BindingHow;
  /** The bound value: the right-hand side, the `with` item's expression, or the iterated sequence. */
  value?: Node;
  node: Node;
}

export type ScopeBindings = Map<string, LocalBinding[]>;

/** Appends a binding to its scope's list for the name. */
export function addBinding(table: Map<number, ScopeBindings>, scope: Node, binding: LocalBinding): void {
  let names = table.get(scope.id);
  if (!names) table.set(scope.id, (names = new Map()));
  const list = names.get(binding.name);
  if (list) list.push(binding);
  else names.set(binding.name, [binding]);
}

/** Names in a target expression (`a`, `a, b`, `[a, *b]`), not attributes or subscripts. */
export function targetNames(target: Node): Node[] {
  switch (target.type) {
    case 'identifier':
      return [target];
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
    case 'list_splat_pattern':
      return target.namedChildren.flatMap((child) => (child ? targetNames(child) : []));
    default:
      return [];
  }
}

function parameterNames(params: Node): Node[] {
  const names: Node[] = [];
  for (const param of params.namedChildren) {
    if (!param) continue;
    if (param.type === 'identifier') names.push(param);
    else {
      const name = param.childForFieldName('name') ?? param.namedChildren.find((c) => c?.type === 'identifier');
      if (name?.type === 'identifier') names.push(name);
    }
  }
  return names;
}

/** Receives each binding with the scope it binds in, in the table's order. */
export type BindingSink = (scope: Node, binding: LocalBinding) => void;

/**
 * The node types that bind names, in the order a table lists them: the bindings of one scope and
 * name come kind by kind, and in document order within a kind.
 */
export const BINDING_KINDS = [
  'assignment', 'augmented_assignment', 'for_statement', 'with_statement', 'function_definition',
  'class_definition', 'lambda', 'except_clause', 'global_statement', 'nonlocal_statement',
] as const;

export type BindingKind = (typeof BINDING_KINDS)[number];

/** Builds the binding table for every scope from the indexed nodes. */
export function buildBindings(of: (type: string) => Node[]): Map<number, ScopeBindings> {
  const table = new Map<number, ScopeBindings>();
  for (const kind of BINDING_KINDS) collectBindings(kind, of, (scope, binding) => addBinding(table, scope, binding));
  return table;
}

/** Sends the bindings that the nodes of one kind make to `sink`, in document order. */
export function collectBindings(kind: BindingKind, of: (type: string) => Node[], sink: BindingSink): void {
  const bind = BINDERS[kind];
  for (const node of of(kind)) bind(node, sink);
}

const BINDERS: Record<BindingKind, (node: Node, sink: BindingSink) => void> = {
  assignment: bindAssignment,
  augmented_assignment: bindAssignment,
  for_statement: bindFor,
  with_statement: bindWith,
  function_definition: bindDefinition,
  class_definition: bindDefinition,
  lambda: bindLambda,
  except_clause: bindExcept,
  global_statement: bindGlobal,
  nonlocal_statement: bindGlobal,
};

function bindAssignment(assign: Node, sink: BindingSink): void {
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right') ?? undefined;
  if (!left) return;
  const how: BindingHow = assign.type === 'assignment' ? 'assign' : 'augassign';
  const names = targetNames(left);
  // `a = b = value` nests assignments on the right: the inner one records its own names.
  const value = names.length === 1 && left.type === 'identifier' ? right : undefined;
  for (const name of names) sink(owningScope(assign), { name: name.text, how, value, node: assign });
}

function bindFor(loop: Node, sink: BindingSink): void {
  const left = loop.childForFieldName('left');
  const right = loop.childForFieldName('right') ?? undefined;
  for (const name of left ? targetNames(left) : []) sink(owningScope(loop), { name: name.text, how: 'for', value: right, node: loop });
}

function bindWith(stmt: Node, sink: BindingSink): void {
  for (const item of stmt.descendantsOfType('with_item')) {
    const value = item?.childForFieldName('value');
    if (value?.type !== 'as_pattern') continue;
    const target = value.childForFieldName('alias')?.namedChild(0);
    const expr = value.namedChild(0) ?? undefined;
    for (const name of target ? targetNames(target) : []) sink(owningScope(stmt), { name: name.text, how: 'with', value: expr, node: stmt });
  }
}

function bindDefinition(def: Node, sink: BindingSink): void {
  const name = def.childForFieldName('name');
  if (name) sink(owningScope(def), { name: name.text, how: def.type === 'class_definition' ? 'class' : 'def', node: def });
  const params = def.childForFieldName('parameters');
  for (const param of params ? parameterNames(params) : []) sink(def, { name: param.text, how: 'param', node: param });
}

function bindLambda(lambda: Node, sink: BindingSink): void {
  const params = lambda.childForFieldName('parameters');
  for (const param of params ? parameterNames(params) : []) sink(lambda, { name: param.text, how: 'param', node: param });
}

function bindExcept(clause: Node, sink: BindingSink): void {
  const value = clause.childForFieldName('value');
  const id = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.namedChild(0) : undefined;
  if (id?.type === 'identifier') sink(owningScope(clause), { name: id.text, how: 'except', node: clause });
}

function bindGlobal(stmt: Node, sink: BindingSink): void {
  for (const id of stmt.namedChildren) {
    if (id?.type === 'identifier') sink(owningScope(stmt), { name: id.text, how: 'global', node: stmt });
  }
}
