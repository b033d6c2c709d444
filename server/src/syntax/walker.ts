// The step-by-step walk over a tree-sitter tree that the mirror is built from.
//
// web-tree-sitter's TreeCursor keeps its four words of state in JavaScript and copies them into the
// runtime's transfer buffer before every call and back after every move: most of the cost of a
// step. The direct walk leaves the state in the transfer buffer for the whole walk, so a step is
// one call of the same exported wasm function that TreeCursor would call. When the runtime does
// not export what it needs, the public TreeCursor is used; both give the same mirror (tested).
import type { Tree, TreeCursor } from 'web-tree-sitter';

export interface Walker {
  typeId(): number;
  startIndex(): number;
  endIndex(): number;
  /** 0 when the node has no field name in its parent. */
  fieldId(): number;
  isNamed(): boolean;
  isMissing(): boolean;
  /** Tree-sitter's own flag: an ERROR or MISSING node in the subtree, also one the mirror cannot show. */
  hasError(): boolean;
  gotoFirstChild(): boolean;
  gotoLastChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** Frees the cursor; the walker is unusable afterwards. */
  delete(): void;
}

/** The runtime's exports the direct walk calls (all of them take the tree's address). */
interface Runtime {
  HEAP_DATA_VIEW: DataView;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_named_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_current_node_wasm(tree: number): void;
  _ts_node_has_error_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_last_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}

const RUNTIME_FUNCTIONS = [
  '_ts_init',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_current_node_is_named_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_current_node_wasm',
  '_ts_node_has_error_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_last_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
] as const;

/** Words of cursor state (TreeCursor's indexed fields). */
const CURSOR_WORDS = 4;

let runtime: Runtime | undefined;
let transferBuffer = 0;

/**
 * Takes the object given to `Parser.init()`: the runtime fills it with its exports. Returns
 * whether the direct walk can be used.
 */
export function useRuntime(binding: object): boolean {
  const candidate = binding as Partial<Record<string, unknown>>;
  const complete = RUNTIME_FUNCTIONS.every((name) => typeof candidate[name] === 'function') && candidate.HEAP_DATA_VIEW instanceof DataView;
  runtime = complete ? (binding as Runtime) : undefined;
  transferBuffer = runtime ? runtime._ts_init() : 0;
  return !!runtime;
}

/** A walker over the tree from its root: the direct one when the runtime allows it and `direct` is not false. */
export function walkTree(tree: Tree, direct = true): Walker {
  const cursor = tree.walk();
  return direct && runtime ? directWalker(runtime, tree, cursor) : publicWalker(cursor);
}

function publicWalker(cursor: TreeCursor): Walker {
  return {
    typeId: () => cursor.nodeTypeId,
    startIndex: () => cursor.startIndex,
    endIndex: () => cursor.endIndex,
    fieldId: () => cursor.currentFieldId,
    isNamed: () => cursor.nodeIsNamed,
    isMissing: () => cursor.nodeIsMissing,
    hasError: () => cursor.currentNode.hasError,
    gotoFirstChild: () => cursor.gotoFirstChild(),
    gotoLastChild: () => cursor.gotoLastChild(),
    gotoNextSibling: () => cursor.gotoNextSibling(),
    gotoParent: () => cursor.gotoParent(),
    delete: () => cursor.delete(),
  };
}

function directWalker(rt: Runtime, tree: Tree, cursor: TreeCursor): Walker {
  const address = (tree as unknown as { 0: number })[0];
  const state = cursor as unknown as Record<number, number>;
  // Words are read and written through the runtime's current view: wasm memory may grow (and the
  // view be replaced) when a move deepens the cursor's stack.
  const put = (words: readonly number[]) => words.forEach((w, i) => rt.HEAP_DATA_VIEW.setInt32(transferBuffer + 4 * i, w, true));
  const take = () => Array.from({ length: CURSOR_WORDS }, (_, i) => rt.HEAP_DATA_VIEW.getInt32(transferBuffer + 4 * i, true));
  put(Array.from({ length: CURSOR_WORDS }, (_, i) => state[i]));
  return {
    typeId: () => rt._ts_tree_cursor_current_node_type_id_wasm(address),
    startIndex: () => rt._ts_tree_cursor_start_index_wasm(address) >>> 0,
    endIndex: () => rt._ts_tree_cursor_end_index_wasm(address) >>> 0,
    fieldId: () => rt._ts_tree_cursor_current_field_id_wasm(address),
    isNamed: () => rt._ts_tree_cursor_current_node_is_named_wasm(address) === 1,
    isMissing: () => rt._ts_tree_cursor_current_node_is_missing_wasm(address) === 1,
    hasError() {
      // Asking a node overwrites the transfer buffer with the node: keep the cursor aside meanwhile.
      const saved = take();
      rt._ts_tree_cursor_current_node_wasm(address);
      const result = rt._ts_node_has_error_wasm(address) === 1;
      put(saved);
      return result;
    },
    gotoFirstChild: () => rt._ts_tree_cursor_goto_first_child_wasm(address) === 1,
    gotoLastChild: () => rt._ts_tree_cursor_goto_last_child_wasm(address) === 1,
    gotoNextSibling: () => rt._ts_tree_cursor_goto_next_sibling_wasm(address) === 1,
    gotoParent: () => rt._ts_tree_cursor_goto_parent_wasm(address) === 1,
    delete() {
      // Hand the (possibly moved) stack back to the cursor so that it frees what it now owns.
      take().forEach((w, i) => (state[i] = w));
      cursor.delete();
    },
  };
}
