import { defineRule } from './rule';
import { rangeOf } from '../text/positions';
import { nestedAcquisitions, placeName, type Acquisition, type LockRef } from '../semantic/lockNesting';
import { KIND, lastNames } from '../semantic/kinds';

interface Edge {
  outer: LockRef;
  inner: LockRef;
  at: Acquisition;
}

export default defineRule({
  code: 'PCC303',
  name: 'lock-order-inversion',
  severity: 'warning',
  summary: 'Two locks are taken in the order A then B in one place and B then A in another: a deadlock waiting to happen.',
  fixable: false,
  // Locks are taken by `with` or `.acquire()`, and a lock is known by the name of its constructor.
  requires: [['threading', 'multiprocessing', '_thread'], ['with', 'acquire'], lastNames(KIND.syncLock)],
  docs: `
    ## What it does
    Collects every place in the module where a \`threading\` or \`multiprocessing\` lock is taken
    while another one is held: a \`with b:\` inside a \`with a:\` block, \`with a, b:\`, and
    \`a.acquire()\` ... \`b.acquire()\` before \`a.release()\`. When two locks are taken in
    one order in one place and in the opposite order in another, both places are flagged, each
    pointing at the other. Locks are matched by what they are, not by spelling: a module-level
    name, or \`self.x\` within one class. Non-blocking acquisitions (\`acquire(blocking=False)\`,
    \`acquire(timeout=...)\`) cannot wait forever and are not counted; neither is a lock taken in
    a function that is merely defined, not run, inside the \`with\` block.

    ## Why is this bad?
    Thread 1 holds \`a\` and waits for \`b\`; thread 2 holds \`b\` and waits for \`a\`. Neither
    can go on, and neither lets go: the program hangs, usually only under load and never in the
    test that would have caught it. The classic cure is a fixed lock order: every piece of code
    that needs both locks takes them in the same order.

    ## Example
    \`\`\`python
    import threading

    accounts_lock = threading.Lock()
    audit_lock = threading.Lock()
    balances = {"alice": 10, "bob": 0}
    log = []


    def transfer(src, dst, amount):
        with accounts_lock:
            with audit_lock:
                balances[src] -= amount
                balances[dst] += amount
                log.append((src, dst, amount))


    def report():
        with audit_lock:
            with accounts_lock:  # the opposite order: can deadlock with transfer()
                return list(log), dict(balances)


    transfer("alice", "bob", 5)
    print(report())
    \`\`\`

    ## Use instead
    Take the locks in the same order everywhere (or merge them into one lock):

    \`\`\`python
    import threading

    accounts_lock = threading.Lock()
    audit_lock = threading.Lock()
    balances = {"alice": 10, "bob": 0}
    log = []


    def transfer(src, dst, amount):
        with accounts_lock:
            with audit_lock:
                balances[src] -= amount
                balances[dst] += amount
                log.append((src, dst, amount))


    def report():
        with accounts_lock:
            with audit_lock:
                return list(log), dict(balances)


    transfer("alice", "bob", 5)
    print(report())
    \`\`\`

    Only nesting that is visible in one function body is compared; a lock taken inside a
    function called while another lock is held is not followed.

    ## References
    - [threading: Lock objects](https://docs.python.org/3/library/threading.html#lock-objects)
    - [Deadlock: circular wait](https://en.wikipedia.org/wiki/Deadlock_(computer_science))
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('threading') && !module.importsModule('multiprocessing') && !module.importsModule('_thread')) return;
    const edges: Edge[] = [];
    for (const at of nestedAcquisitions(module)) for (const outer of at.held) edges.push({ outer, inner: at.lock, at });
    const byPair = new Map<string, Edge[]>();
    for (const edge of edges) {
      const key = `${edge.outer.key}\u0000${edge.inner.key}`;
      byPair.set(key, [...(byPair.get(key) ?? []), edge]);
    }
    for (const edge of edges) {
      const opposite = byPair.get(`${edge.inner.key}\u0000${edge.outer.key}`);
      if (!opposite) continue;
      const other = opposite[0];
      const line = other.at.node.startPosition.row + 1;
      const where = placeName(other.at.node);
      ctx.report(
        edge.at.node,
        `\`${edge.inner.text}\` is taken while holding \`${edge.outer.text}\`, but ${where} (line ${line}) takes them in the opposite order: the two can deadlock`,
        undefined,
        [{ range: rangeOf(other.at.node), message: `\`${other.inner.text}\` is taken here while holding \`${other.outer.text}\`` }],
      );
    }
  },
});
