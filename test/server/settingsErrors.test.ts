// Every setting, given a bad value: one clear message that names the key and the expected form, and the default is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSettings, DEFAULT_SETTINGS } from '../../server/src/config/settings';
import { resolveSelection } from '../../server/src/config/selection';
import { RULES } from '../../server/src/rules/index';
import { LspClient } from './lspClient';
import { analyze } from './helpers';

interface Case {
  key: string;
  bad: unknown[];
  /** Words the message must contain besides the key: the expected form. */
  expected: RegExp;
}

const CASES: Case[] = [
  { key: 'enable', bad: ['yes', 1, 'false', [], {}], expected: /must be true or false; using true/ },
  { key: 'select', bad: [42, [1, 2], ['PCC101', 5], { PCC101: true }, true], expected: /must be a list of rule codes or names, like \["PCC101", "PCC2"\]; using the default/ },
  { key: 'ignore', bad: [42, [null], false, { a: 1 }], expected: /must be a list of rule codes or names, like \["PCC101", "PCC2"\]; using the default/ },
  { key: 'severity', bad: ['error', ['PCC101'], 3, true], expected: /must be an object like \{"PCC101": "error"\}; using the rules' defaults/ },
  { key: 'pythonVersion', bad: ['3', '3.8', '3.99', '2.7', 'latest', 3.12, '3.12.1', true, []], expected: /must look like "3\.12" \(3\.9 to 3\.14\); got .*, using the default/ },
  { key: 'freeThreaded', bad: ['true', 0, 'no', {}], expected: /must be true or false; using false/ },
  { key: 'maxFileSize', bad: [0, -5, '1000', NaN, Infinity, true, [], {}], expected: /must be a positive number of characters; using 2000000/ },
];

/** What an empty settings object normalises to: the defaults. */
const DEFAULTS = { ...DEFAULT_SETTINGS, select: undefined, ignore: undefined };

for (const c of CASES) {
  test(`concurrencyCoach.${c.key}: each bad value gives one message naming the key and the expected form, and the default`, () => {
    for (const value of c.bad) {
      const { settings, problems } = normalizeSettings({ [c.key]: value });
      assert.equal(problems.length, 1, `${c.key} = ${JSON.stringify(value)}: ${JSON.stringify(problems)}`);
      assert.ok(problems[0].includes(`concurrencyCoach.${c.key}`), problems[0]);
      assert.match(problems[0], c.expected, `${c.key} = ${JSON.stringify(value)}`);
      assert.deepEqual(settings, DEFAULTS, `${c.key} = ${JSON.stringify(value)} falls back to the default`);
    }
  });
}

test('every setting in DEFAULT_SETTINGS and the manifest has a bad-value case here', () => {
  // A new setting needs a case above: this test fails until it has one.
  const manifest = require('../../../package.json') as { contributes: { configuration: { properties: Record<string, unknown> } } };
  const keys = Object.keys(manifest.contributes.configuration.properties).map((k) => k.replace(/^concurrencyCoach\./, ''));
  for (const key of [...keys, ...Object.keys(DEFAULT_SETTINGS)]) assert.ok(CASES.some((c) => c.key === key), `no case for ${key}`);
});

test('good values are taken as they are, with no message', () => {
  const { settings, problems } = normalizeSettings({
    enable: false, select: ['PCC1'], ignore: 'PCC101, PCC102', severity: { PCC2: 'info' }, pythonVersion: ' 3.13 ', freeThreaded: true, maxFileSize: 10,
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, { enable: false, select: ['PCC1'], ignore: ['PCC101', 'PCC102'], severity: { PCC2: 'info' }, pythonVersion: '3.13', freeThreaded: true, maxFileSize: 10 });
  for (const version of ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14']) assert.equal(normalizeSettings({ pythonVersion: version }).settings.pythonVersion, version);
});

test('settings that are not an object at all: one message, all defaults', () => {
  for (const raw of ['on', 42, true]) {
    const { settings, problems } = normalizeSettings(raw);
    assert.deepEqual(problems, ['Settings under concurrencyCoach must be an object; using the defaults.']);
    assert.deepEqual(settings, DEFAULT_SETTINGS);
  }
  assert.deepEqual(normalizeSettings(undefined), { settings: DEFAULT_SETTINGS, problems: [] });
  assert.deepEqual(normalizeSettings(null), { settings: DEFAULT_SETTINGS, problems: [] });
  assert.deepEqual(normalizeSettings({}), { settings: DEFAULTS, problems: [] });
});

test('rule names in select, ignore and severity: unknown ones and bad levels are named with the expected form; the rest still apply', () => {
  const where = (key: string) => `concurrencyCoach.${key}`;
  const { selection, problems } = resolveSelection(['PCC1', 'PCC9999', 'no-such-rule'], ['PCC0'], { PCC101: 'loud', PCC777: 'error', PCC102: 'info' }, where);
  assert.deepEqual(problems, [
    'Unknown rule "PCC9999" in concurrencyCoach.select: expected a code like PCC101, a prefix like PCC1, a rule name, or ALL.',
    'Unknown rule "no-such-rule" in concurrencyCoach.select: expected a code like PCC101, a prefix like PCC1, a rule name, or ALL.',
    'Unknown rule "PCC0" in concurrencyCoach.ignore: expected a code like PCC101, a prefix like PCC1, a rule name, or ALL.',
    'Invalid severity "loud" for PCC101 in concurrencyCoach.severity: expected "error", "warning", "info" or "off".',
    'Unknown rule "PCC777" in concurrencyCoach.severity: expected a code like PCC101, a prefix like PCC1, a rule name, or ALL.',
  ]);
  // The valid parts apply: PCC1xx selected, PCC101 at its default severity, PCC102 as info.
  const pcc1 = RULES.filter((r) => r.code.startsWith('PCC1'));
  assert.deepEqual([...selection.severity.keys()].sort(), pcc1.map((r) => r.code).sort());
  assert.equal(selection.severity.get('PCC101'), RULES.find((r) => r.code === 'PCC101')!.severity);
  assert.equal(selection.severity.get('PCC102'), 'info');
});

test('over LSP: bad settings are shown once each, by key, and the defaults apply', async () => {
  const bad = { enable: 'yes', maxFileSize: 'big', pythonVersion: '3.99', freeThreaded: 'no', select: 7, ignore: {}, severity: 'error' };
  const client = await LspClient.start({ settings: bad });
  try {
    const text = 'import asyncio\nimport time\n\nasync def poll():\n    time.sleep(1)\n    await asyncio.sleep(0)\n';
    const diagnostics = await client.open('file:///tmp/settings-errors/a.py', text);
    // Enabled, every rule at its default severity, as with no settings at all.
    const expected = await analyze(text);
    assert.ok(expected.some((f) => f.code === 'PCC101'));
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), expected.map((f) => [f.code, { error: 1, warning: 2, info: 3 }[f.severity]]));
    await client.open('file:///tmp/settings-errors/b.py', text);
    await client.change('file:///tmp/settings-errors/b.py', 2, [{ text: text + '\n' }]);
    for (const key of Object.keys(bad)) {
      const shown = client.messages.filter((m) => m.message.includes(`Setting concurrencyCoach.${key} must`));
      assert.equal(shown.length, 1, `one message for ${key}: ${JSON.stringify(client.messages)}`);
      assert.equal(shown[0].type, 2, 'a warning');
      assert.ok(shown[0].message.startsWith('Python Concurrency Coach: '), shown[0].message);
    }
  } finally {
    await client.stop();
  }
});
