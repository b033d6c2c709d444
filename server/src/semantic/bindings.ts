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

function add(table: Map<number, ScopeBindings>, scope: Node, binding: LocalBinding): void {
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

/** Builds the binding table for every scope from the indexed nodes. */
export function buildBindings(of: (type: string) => Node[]): Map<number, ScopeBindings> {
  const table = new Map<number, ScopeBindings>();
  for (const assign of [...of('assignment'), ...of('augmented_assignment')]) {
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right') ?? undefined;
    if (!left) continue;
    const how: BindingHow = assign.type === 'assignment' ? 'assign' : 'augassign';
    const names = targetNames(left);
    // `a = b = value` nests assignments on the right: the inner one records its own names.
    const value = names.length === 1 && left.type === 'identifier' ? right : undefined;
    for (const name of names) add(table, owningScope(assign), { name: name.text, how, value, node: assign });
  }
  for (const loop of of('for_statement')) {
    const left = loop.childForFieldName('left');
    const right = loop.childForFieldName('right') ?? undefined;
    for (const name of left ? targetNames(left) : []) {
      add(table, owningScope(loop), { name: name.text, how: 'for', value: right, node: loop });
    }
  }
  for (const stmt of of('with_statement')) {
    for (const item of stmt.descendantsOfType('with_item')) {
      const value = item?.childForFieldName('value');
      if (value?.type !== 'as_pattern') continue;
      const target = value.childForFieldName('alias')?.namedChild(0);
      const expr = value.namedChild(0) ?? undefined;
      for (const name of target ? targetNames(target) : []) {
        add(table, owningScope(stmt), { name: name.text, how: 'with', value: expr, node: stmt });
      }
    }
  }
  for (const def of [...of('function_definition'), ...of('class_definition')]) {
    const name = def.childForFieldName('name');
    if (name) add(table, owningScope(def), { name: name.text, how: def.type === 'class_definition' ? 'class' : 'def', node: def });
    const params = def.childForFieldName('parameters');
    for (const param of params ? parameterNames(params) : []) add(table, def, { name: param.text, how: 'param', node: param });
  }
  for (const lambda of of('lambda')) {
    const params = lambda.childForFieldName('parameters');
    for (const param of params ? parameterNames(params) : []) add(table, lambda, { name: param.text, how: 'param', node: param });
  }
  for (const clause of of('except_clause')) {
    const value = clause.childForFieldName('value');
    const id = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.namedChild(0) : undefined;
    if (id?.type === 'identifier') add(table, owningScope(clause), { name: id.text, how: 'except', node: clause });
  }
  for (const stmt of [...of('global_statement'), ...of('nonlocal_statement')]) {
    for (const id of stmt.namedChildren) {
      if (id?.type === 'identifier') add(table, owningScope(stmt), { name: id.text, how: 'global', node: stmt });
    }
  }
  return table;
}
