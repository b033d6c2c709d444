import * as assert from 'assert';
import { extension, open, waitFor } from './helpers';

suite('activation', () => {
  test('the extension activates when a Python file opens', async () => {
    const ext = extension();
    console.log(`    testing ${ext.id} ${(ext.packageJSON as { version: string }).version} from ${ext.extensionPath}`);
    await open('blocking_sleep.py');
    const expected = process.env.PCC_E2E_EXPECT_EXTENSION_PATH;
    if (expected) assert.ok(ext.extensionPath.startsWith(expected), `${ext.extensionPath} is under ${expected}`);
    // activate() rejects when activation threw; isActive alone is also true after a failed activation.
    await ext.activate();
    await waitFor('the extension to activate', () => ext.isActive);
    const manifest = ext.packageJSON as { activationEvents?: string[] };
    assert.ok(manifest.activationEvents?.includes('onLanguage:python'), 'activates on onLanguage:python');
  });
});
