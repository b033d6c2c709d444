// Writing `await <expr>` in place of an expression, with the parentheses Python needs.
import type { Node } from '../trees';

/** Expressions that `await` takes without parentheses (Python's "primary"). */
const PRIMARY = new Set(['identifier', 'call', 'attribute', 'subscript', 'parenthesized_expression', 'list', 'tuple', 'dictionary', 'set']);

/** `await x` for an operand, parenthesised when it is not a primary (`await (a or b)`). */
export function awaitOf(operandText: string, operandType: string): string {
  return PRIMARY.has(operandType) ? `await ${operandText}` : `await (${operandText})`;
}

/**
 * The text that replaces `node` by `await <operand>`: without the `await` when the node is already
 * awaited (the parent keeps its own), in parentheses where `await` would bind differently
 * (`(await c).attr`, `(await c)[0]`, `(await c)()`).
 */
export function awaitReplacing(node: Node, operandText: string, operandType: string): string {
  const parent = node.parent;
  if (parent?.type === 'await') return PRIMARY.has(operandType) ? operandText : `(${operandText})`;
  const awaited = awaitOf(operandText, operandType);
  const tight = (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === node.id)
    || (parent?.type === 'subscript' && parent.childForFieldName('value')?.id === node.id)
    || (parent?.type === 'call' && parent.childForFieldName('function')?.id === node.id);
  return tight ? `(${awaited})` : awaited;
}
