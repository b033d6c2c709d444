import { defineRule } from './rule';
import { methodCall } from '../semantic/statements';
import { objectKind } from '../semantic/objectKinds';
import { hasAsyncDef, blockedFunction, calleeText, toThreadFix } from '../semantic/toThread';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** Module-level functions that make an HTTP request and wait for the answer. */
const HTTP_FUNCTIONS = new Set([
  ...VERBS.map((v) => `requests.${v}`),
  ...[...VERBS, 'stream'].map((v) => `httpx.${v}`),
  'urllib.request.urlopen', 'urllib.request.urlretrieve', 'urllib3.request',
]);

/** Blocking methods per client kind. */
const CLIENT_METHODS = new Map<string, Set<string>>([
  ['requests.Session', new Set([...VERBS, 'send'])],
  ['httpx.Client', new Set([...VERBS, 'send', 'stream'])],
  ['urllib3.PoolManager', new Set(['request', 'urlopen', 'request_encode_url', 'request_encode_body'])],
  ['http.client.HTTPConnection', new Set(['request', 'getresponse', 'connect'])],
]);

const ALL_CLIENT_METHODS = new Set([...CLIENT_METHODS.values()].flatMap((set) => [...set]));

const CLIENT_NOUN: Record<string, string> = {
  'requests.Session': 'a `requests.Session`',
  'httpx.Client': 'a sync `httpx.Client`',
  'urllib3.PoolManager': 'a urllib3 pool',
  'http.client.HTTPConnection': 'an `http.client` connection',
};

const LIBRARIES = ['requests', 'httpx', 'urllib', 'urllib3', 'http'];

export default defineRule({
  code: 'PCC102',
  name: 'blocking-http-in-async',
  severity: 'warning',
  summary: 'A blocking HTTP call (`requests`, `httpx`, `urllib`) inside `async def` stalls the event loop.',
  fixable: true,
  local: true,
  requires: ['async', LIBRARIES],
  docs: `
    ## What it does
    Flags blocking HTTP requests inside an \`async def\`: the module-level functions of
    \`requests\` and \`httpx\` (\`get\`, \`post\`, \`put\`, \`patch\`, \`delete\`, \`head\`, \`options\`,
    \`request\`, and \`httpx.stream\`), \`urllib.request.urlopen\` and \`urlretrieve\`, \`urllib3.request\`,
    and the same methods on a client object the module binds: a \`requests.Session()\`, an
    \`httpx.Client()\`, a urllib3 \`PoolManager\` or connection pool, an \`http.client\` connection.
    Imports are followed through aliases (\`import requests as rq\`, \`from requests import get\`).

    Calls in a nested plain \`def\` or \`lambda\`, and calls already handed to a worker thread
    (\`await asyncio.to_thread(requests.get, url)\`), are not flagged.

    ## Why is this bad?
    These clients wait for the network on the calling thread. Inside a coroutine that thread is
    the event loop's: while the request is in flight, which can take seconds or, without a
    timeout, forever, no other task, callback or connection makes progress.

    ## Example
    \`\`\`python
    import asyncio
    import urllib.request


    async def fetch(url):
        with urllib.request.urlopen(url, timeout=1) as response:  # the loop waits here
            return response.status


    async def main():
        try:
            print(await fetch("http://127.0.0.1:9/"))
        except OSError as error:
            print("failed:", error)


    asyncio.run(main())
    \`\`\`

    ## Use instead
    Use an async client (\`httpx.AsyncClient\`, \`aiohttp\`), or run the blocking call in a
    worker thread:

    \`\`\`python
    import asyncio
    import urllib.request


    def fetch_status(url):
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status


    async def fetch(url):
        return await asyncio.to_thread(fetch_status, url)  # the loop keeps running


    async def main():
        try:
            print(await fetch("http://127.0.0.1:9/"))
        except OSError as error:
            print("failed:", error)


    asyncio.run(main())
    \`\`\`

    ## Fix safety
    The fix rewrites the call as \`await asyncio.to_thread(fn, *args, **kwargs)\`, keeping the
    arguments as written (\`await trio.to_thread.run_sync(...)\` or
    \`await anyio.to_thread.run_sync(...)\` in a trio or anyio module, with keyword arguments
    passed through \`functools.partial\`). It is unsafe: other tasks now run while the request
    is in flight and may change state the coroutine relies on, and a session object is now
    used from another thread (\`requests.Session\` is not documented as thread-safe). It adds
    \`import asyncio\` when the module lacks it.

    ## References
    - [asyncio.to_thread](https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread)
    - [Developing with asyncio: running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)
    - [HTTPX async support](https://www.python-httpx.org/async/)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!hasAsyncDef(module)) return;
    if (!LIBRARIES.some((lib) => module.importsModule(lib))) return;
    for (const { call, qualified } of module.allCalls()) {
      let on = '';
      if (!qualified || !HTTP_FUNCTIONS.has(qualified)) {
        const m = methodCall(call);
        if (!m || !ALL_CLIENT_METHODS.has(m.method) || !blockedFunction(module, call)) continue;
        const kind = objectKind(module, m.object)?.kind;
        if (!kind || !CLIENT_METHODS.get(kind)?.has(m.method)) continue;
        on = ` on ${CLIENT_NOUN[kind]}`;
      }
      const fn = blockedFunction(module, call);
      if (!fn) continue;
      ctx.report(call, `Blocking HTTP call \`${calleeText(call)}()\`${on} in async function \`${fn}\` stalls the event loop`, toThreadFix(module, call));
    }
  },
});
