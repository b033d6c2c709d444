// The constructor kind of a call (`threading.Thread(...)` → `threading.Thread`), worked out once
// per call however many rules ask, and kept across edits.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';

/** `module.constructorOf(call)`, kept with the call across edits (it reads the call's statement and the outline). */
export function constructorKind(module: ModuleIndex, call: Node): string | undefined {
  if (call.type !== 'call') return undefined;
  return module.kept('constructorKind', call, () => module.constructorOf(call));
}
