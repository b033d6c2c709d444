// planImportInsertions: exact insertions for the file shapes quick fixes and the
// "Insert Pattern" command meet, and the text that results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingImportLines, planImportInsertions, type ImportInsertion } from '../../server/src/text/importPlacement';
import { applyEdits } from '../../server/src/text/applyEdits';

function apply(text: string, insertions: ImportInsertion[]): string {
  return applyEdits(text, insertions.map((i) => ({ range: { start: { line: i.line, character: 0 }, end: { line: i.line, character: 0 } }, newText: i.text })));
}

/** Checks the planned insertions, the resulting text, and that planning again adds nothing. */
function check(source: string, imports: string[], expected: ImportInsertion[], result: string): void {
  const planned = planImportInsertions(source, imports);
  assert.deepEqual(planned, expected);
  const after = apply(source, planned);
  assert.equal(after, result);
  assert.deepEqual(planImportInsertions(after, imports), [], 'a second run adds nothing');
}

test('empty file', () => {
  check('', ['import threading'], [{ line: 0, text: 'import threading\n' }], 'import threading\n');
});

test('several imports: kept in order, repeats dropped, from-imports of one module merged', () => {
  check(
    '',
    ['import asyncio', 'from concurrent.futures import ThreadPoolExecutor', 'import asyncio', 'from concurrent.futures import as_completed'],
    [{ line: 0, text: 'import asyncio\nfrom concurrent.futures import ThreadPoolExecutor, as_completed\n' }],
    'import asyncio\nfrom concurrent.futures import ThreadPoolExecutor, as_completed\n',
  );
});

test('docstring only', () => {
  check('"""Tools."""\n', ['import threading'], [{ line: 1, text: '\nimport threading\n' }], '"""Tools."""\n\nimport threading\n');
  check(
    '"""Tools.\n\nimport os is only mentioned here.\n"""\n',
    ['import os'],
    [{ line: 4, text: '\nimport os\n' }],
    '"""Tools.\n\nimport os is only mentioned here.\n"""\n\nimport os\n',
  );
  check("r'''Raw docstring.'''\n\n\ndef f():\n    pass\n", ['import os'], [{ line: 1, text: '\nimport os\n' }], "r'''Raw docstring.'''\n\nimport os\n\n\ndef f():\n    pass\n");
});

test('docstring without a final line break', () => {
  check('"""Tools."""', ['import threading'], [{ line: 1, text: '\n\nimport threading\n' }], '"""Tools."""\n\nimport threading\n');
});

test('docstring, then from __future__ import annotations', () => {
  check(
    '"""Tools."""\n\nfrom __future__ import annotations\n\nx = 1\n',
    ['import threading'],
    [{ line: 3, text: '\nimport threading\n' }],
    '"""Tools."""\n\nfrom __future__ import annotations\n\nimport threading\n\nx = 1\n',
  );
  check(
    '"""Tools."""\nfrom __future__ import annotations\ndef f():\n    pass\n',
    ['import threading'],
    [{ line: 2, text: '\nimport threading\n\n\n' }],
    '"""Tools."""\nfrom __future__ import annotations\n\nimport threading\n\n\ndef f():\n    pass\n',
  );
});

test('a new __future__ import goes after the docstring, before other imports', () => {
  check(
    '"""Tools."""\nimport os\n',
    ['from __future__ import annotations', 'import sys'],
    [
      { line: 1, text: 'from __future__ import annotations\n' },
      { line: 2, text: 'import sys\n' },
    ],
    '"""Tools."""\nfrom __future__ import annotations\nimport os\nimport sys\n',
  );
});

test('existing imports: the new one goes after the last top import', () => {
  check(
    'import os\nimport sys\n\n\ndef main():\n    pass\n',
    ['import threading'],
    [{ line: 2, text: 'import threading\n' }],
    'import os\nimport sys\nimport threading\n\n\ndef main():\n    pass\n',
  );
  check(
    '"""Doc."""\n\nimport os\n\n# third party\nimport requests  # pinned\n\nprint(1)\n',
    ['import threading'],
    [{ line: 6, text: 'import threading\n' }],
    '"""Doc."""\n\nimport os\n\n# third party\nimport requests  # pinned\nimport threading\n\nprint(1)\n',
  );
});

test('existing imports: after a multi-line import, and before the first non-import statement', () => {
  check(
    'from typing import (\n    Any,\n    Optional,\n)\nimport os, \\\n    sys\nx = 1\nimport json\n',
    ['import threading'],
    [{ line: 6, text: 'import threading\n' }],
    'from typing import (\n    Any,\n    Optional,\n)\nimport os, \\\n    sys\nimport threading\nx = 1\nimport json\n',
  );
});

test('import already present: no duplicate', () => {
  check('import threading\n\nx = 1\n', ['import threading'], [], 'import threading\n\nx = 1\n');
  check('import os, threading\n', ['import threading', 'import os'], [], 'import os, threading\n');
  check('import os; import threading\n', ['import threading'], [], 'import os; import threading\n');
  check('import concurrent.futures\n', ['import concurrent.futures', 'import concurrent'], [], 'import concurrent.futures\n');
  check('from . import models\n', ['from . import models'], [], 'from . import models\n');
  check('x = 1\n\nimport threading  # late, still module level\n', ['import threading'], [], 'x = 1\n\nimport threading  # late, still module level\n');
  check('try:\n    import uvloop\nexcept ImportError:\n    uvloop = None\n', ['import uvloop'], [], 'try:\n    import uvloop\nexcept ImportError:\n    uvloop = None\n');
  assert.deepEqual(missingImportLines('import asyncio\n', ['import asyncio', 'import time']), ['import time']);
});

test('an import bound differently is not the one asked for', () => {
  // an alias binds another name; a nested import binds a local one; a string binds nothing
  check('import threading as th\n', ['import threading'], [{ line: 1, text: 'import threading\n' }], 'import threading as th\nimport threading\n');
  check('import concurrent\n', ['import concurrent.futures'], [{ line: 1, text: 'import concurrent.futures\n' }], 'import concurrent\nimport concurrent.futures\n');
  check(
    'def f():\n    import threading\n',
    ['import threading'],
    [{ line: 0, text: 'import threading\n\n\n' }],
    'import threading\n\n\ndef f():\n    import threading\n',
  );
  check(
    'x = 1\ntext = """\nimport threading\n"""\n',
    ['import threading'],
    [{ line: 0, text: 'import threading\n\n' }],
    'import threading\n\nx = 1\ntext = """\nimport threading\n"""\n',
  );
  check(
    'from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import threading\n',
    ['import threading'],
    [{ line: 1, text: 'import threading\n' }],
    'from typing import TYPE_CHECKING\nimport threading\nif TYPE_CHECKING:\n    import threading\n',
  );
});

test('from concurrent.futures import ThreadPoolExecutor present, as_completed needed', () => {
  check(
    'import logging\nfrom concurrent.futures import ThreadPoolExecutor\nimport os\n\nx = 1\n',
    ['import logging', 'from concurrent.futures import ThreadPoolExecutor, as_completed'],
    [{ line: 2, text: 'from concurrent.futures import as_completed\n' }],
    'import logging\nfrom concurrent.futures import ThreadPoolExecutor\nfrom concurrent.futures import as_completed\nimport os\n\nx = 1\n',
  );
  check(
    'from concurrent.futures import (\n    ThreadPoolExecutor,\n    as_completed,\n)\n',
    ['from concurrent.futures import ThreadPoolExecutor, as_completed'],
    [],
    'from concurrent.futures import (\n    ThreadPoolExecutor,\n    as_completed,\n)\n',
  );
  check(
    'from concurrent.futures import as_completed as done_first\n',
    ['from concurrent.futures import as_completed'],
    [{ line: 1, text: 'from concurrent.futures import as_completed\n' }],
    'from concurrent.futures import as_completed as done_first\nfrom concurrent.futures import as_completed\n',
  );
});

test('shebang, encoding line and top comments stay first', () => {
  check(
    '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n"""Doc."""\nimport os\n',
    ['import threading'],
    [{ line: 4, text: 'import threading\n' }],
    '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n"""Doc."""\nimport os\nimport threading\n',
  );
  check(
    '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# Copyright 2026\n\n# The main loop.\ndef main():\n    pass\n',
    ['import asyncio'],
    [{ line: 4, text: 'import asyncio\n\n\n' }],
    '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# Copyright 2026\n\nimport asyncio\n\n\n# The main loop.\ndef main():\n    pass\n',
  );
  check('#!/usr/bin/env python3\nprint("hi")\n', ['import sys'], [{ line: 1, text: '\nimport sys\n\n' }], '#!/usr/bin/env python3\n\nimport sys\n\nprint("hi")\n');
  check('# only a comment\n', ['import sys'], [{ line: 1, text: '\nimport sys\n' }], '# only a comment\n\nimport sys\n');
  check('# vim: set fileencoding=latin-1 :\nx = 1\n', ['import sys'], [{ line: 1, text: '\nimport sys\n\n' }], '# vim: set fileencoding=latin-1 :\n\nimport sys\n\nx = 1\n');
});

test('CRLF file', () => {
  check(
    '"""Doc."""\r\nimport os\r\n\r\nx = 1\r\n',
    ['import sys', 'import threading'],
    [{ line: 2, text: 'import sys\r\nimport threading\r\n' }],
    '"""Doc."""\r\nimport os\r\nimport sys\r\nimport threading\r\n\r\nx = 1\r\n',
  );
  check('"""Doc."""\r\n\r\nx = 1\r\n', ['import threading'], [{ line: 1, text: '\r\nimport threading\r\n' }], '"""Doc."""\r\n\r\nimport threading\r\n\r\nx = 1\r\n');
});

test('odd files: no final line break, byte order mark', () => {
  check('import os', ['import sys'], [{ line: 1, text: '\nimport sys\n' }], 'import os\nimport sys\n');
  check('\uFEFFimport os\n', ['import sys'], [{ line: 1, text: 'import sys\n' }], '\uFEFFimport os\nimport sys\n');
  check('\n\n', ['import sys'], [{ line: 0, text: 'import sys\n' }], 'import sys\n\n\n');
});

test('a line that is not an import statement is refused', () => {
  assert.throws(() => planImportInsertions('', ['print("hi")']), /Not a single import statement/);
  assert.throws(() => planImportInsertions('', ['import os; import sys']), /Not a single import statement/);
});
