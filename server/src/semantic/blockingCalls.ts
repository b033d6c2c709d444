// Calls that do I/O or wait: files, sockets, HTTP, subprocesses, sleeps, queues, waits.
// Used by the coaching heuristics (PCC207, PCC208), which keep quiet on functions that do I/O.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import { ownNodes } from './functionBodies';
import { methodCall } from './statements';

const IO_FUNCTIONS = new Set(['builtins.open', 'builtins.print', 'builtins.input', 'time.sleep']);
const IO_MODULES = ['socket.', 'ssl.', 'select.', 'selectors.', 'requests.', 'httpx.', 'urllib.', 'urllib3.', 'http.', 'subprocess.', 'shutil.', 'os.', 'io.', 'pathlib.', 'logging.', 'sys.stdout', 'sys.stderr', 'sys.stdin'];
/** Methods of files, sockets, loggers and synchronisation objects that do I/O or wait. */
const IO_METHODS = new Set([
  'read', 'readline', 'readlines', 'write', 'writelines', 'flush', 'recv', 'recv_into', 'recvfrom', 'send',
  'sendall', 'sendto', 'accept', 'connect', 'makefile', 'wait', 'wait_for', 'sleep', 'urlopen', 'request',
  'debug', 'info', 'warning', 'error', 'exception', 'critical', 'log',
]);
const QUEUE_METHODS = new Set(['get', 'put', 'get_nowait', 'put_nowait', 'task_done', 'join']);
const QUEUE_KINDS = /^(queue\.|multiprocessing\.(Queue|JoinableQueue|SimpleQueue))/;
const QUEUE_NAME = /(^|_)q$|queue/i;

/** True when the call does I/O or waits. */
export function isBlockingCall(module: ModuleIndex, call: Node): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  const qualified = module.resolve(callee);
  if (qualified) return IO_FUNCTIONS.has(qualified) || IO_MODULES.some((m) => qualified.startsWith(m));
  const m = methodCall(call);
  if (!m) return false;
  if (IO_METHODS.has(m.method)) return true;
  if (!QUEUE_METHODS.has(m.method)) return false;
  const kind = module.kindOf(m.object);
  return kind ? QUEUE_KINDS.test(kind) : QUEUE_NAME.test(m.object.text);
}

/** The first call in the function's own body that does I/O or waits. */
export function firstBlockingCall(module: ModuleIndex, fn: Node): Node | undefined {
  return ownNodes(fn, 'call').find((call) => isBlockingCall(module, call));
}
