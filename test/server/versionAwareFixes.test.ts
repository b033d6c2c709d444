// Fixes and findings that depend on the Python version follow the version the user targets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine';
import { resolveSelection } from '../../server/src/config/selection';
import { getParser } from './helpers';

const STOP_TASK = `import asyncio


async def stop_task(task):
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
`;

async function pcc115(version: string) {
  const config = { selection: resolveSelection(['PCC115'], undefined, undefined, String).selection, options: { python: { version, freeThreaded: false, source: 'setting' as const }, notebook: false } };
  return analyzeText(await getParser(), STOP_TASK, config).findings;
}

test('PCC115 offers Task.cancelling() (3.11+) only when the target Python has it', async () => {
  const [older] = await pcc115('3.10');
  const [newer] = await pcc115('3.12');
  assert.equal(older.code, 'PCC115');
  assert.equal(older.fix, undefined, 'no cancelling() on 3.10');
  assert.equal(newer.fix?.title, 'Re-raise when this task itself is being cancelled');
});
