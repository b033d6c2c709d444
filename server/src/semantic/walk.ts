// The nodes rules care about, grouped by type (answered from each statement's type index).
import type { Node } from '../trees';

/** Node types indexed by the walk. Rules find their candidates here instead of walking again. */
export const INDEXED_TYPES = [
  'call', 'function_definition', 'lambda', 'class_definition', 'assignment', 'augmented_assignment',
  'with_statement', 'await', 'try_statement', 'except_clause', 'import_statement',
  'import_from_statement', 'future_import_statement', 'expression_statement', 'for_statement',
  'while_statement', 'global_statement', 'nonlocal_statement', 'comment', 'if_statement',
  'return_statement', 'raise_statement', 'yield', 'decorator', 'list_comprehension',
] as const;

export type IndexedType = (typeof INDEXED_TYPES)[number];


export function collectNodes(root: Node): Map<IndexedType, Node[]> {
  return root.descendantsByType(INDEXED_TYPES) as Map<IndexedType, Node[]>;
}
