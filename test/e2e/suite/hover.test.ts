import * as assert from 'assert';
import { hoverText, open, waitFor, waitForDiagnostics } from './helpers';

suite('hover', () => {
  test('hovering a flagged call explains the rule', async () => {
    const { doc } = await open('blocking_sleep.py');
    const [d] = await waitForDiagnostics(doc.uri, 1, 'PCC101');
    const at = d.range.start.translate(0, 2);
    let last = '';
    const text = await waitFor(
      'a hover from the extension',
      async () => {
        last = await hoverText(doc.uri, at);
        return /PCC101|blocking-sleep-in-async/.test(last) && last;
      },
      undefined,
      () => last,
    );
    console.log(`      hover: ${JSON.stringify(text.slice(0, 160))}`);
    assert.ok(/asyncio\.sleep/.test(text), 'hover says what to use instead');
  });

  test('no finding hover away from findings', async () => {
    const { doc } = await open('clean.py');
    const line = doc.lineAt(9); // def sync_worker():
    assert.ok(line.text.startsWith('def sync_worker'), line.text);
    const text = await hoverText(doc.uri, line.range.start.translate(0, 1));
    assert.ok(!/\*\*PCC\d{3}\*\*/.test(text), `unexpected finding hover: ${text}`);
  });
});
