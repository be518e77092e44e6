/**
 * The detector table (src/redact/text-scan.ts): each detector finds its README example, README
 * lists every detector with what it matches and its example, and the context rules hold (a
 * 40-hex value is a W&B key only in a key-like context, never under a digest key).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { DETECTORS, classifyKey, replaceFindings } from '../../src/redact/text-scan.js';
import { ROOT } from '../helpers/golden.js';

const mask = (text: string, key?: string): string => replaceFindings(text, () => '****', key);

t.test('every detector finds its example', async (t) => {
  for (const d of DETECTORS) t.not(mask(d.example), d.example, `${d.name}: ${d.example}`);
});

t.test('README lists every detector: name, class, what it matches, example', async (t) => {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  for (const d of DETECTORS) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${d.name}\` |`));
    t.ok(row, d.name);
    t.ok(
      row?.includes(` ${d.kind} `) && row.includes(d.what) && row.includes(d.example.replace(/\n/g, '\\n')),
      `${d.name}: its row is current`,
    );
  }
});

t.test('context rules: 40 hex characters', async (t) => {
  const hex = '0123456789abcdef0123456789abcdef01234567';
  t.equal(mask(`api_key: ${hex}`), 'api_key: ****', 'after api_key');
  t.equal(mask(`Authorization: Bearer ${hex}`), 'Authorization: ****');
  t.equal(mask(hex, 'wandb_key'), '****', 'under a key-like name');
  t.equal(mask(hex, 'artifact_digest'), hex, 'never under a digest');
  t.equal(mask(`digest ${hex}`), `digest ${hex}`, 'not in free text without a key context');
});

t.test('key names: case- and separator-insensitive classes', async (t) => {
  const cases: [string, string | undefined][] = [
    ['username', 'name'],
    ['user_name', 'name'],
    ['userName', 'name'],
    ['Display-Name', 'name'],
    ['full_name', 'name'],
    ['email', 'email'],
    ['user_email', 'email'],
    ['ip', 'ip'],
    ['client_ip', 'ip'],
    ['ipAddress', 'ip'],
    ['password', 'secret'],
    ['API_KEY', 'secret'],
    ['apiKey', 'secret'],
    ['access_token', 'secret'],
    ['client-secret', 'secret'],
    ['token_count', undefined],
    ['secret_name', undefined],
    ['zip', undefined],
    ['name', undefined],
    ['project_name', undefined],
  ];
  for (const [key, cls] of cases) t.equal(classifyKey(key), cls, key);
});

t.test('linear time: long hostile strings are scanned quickly', async (t) => {
  const hostile = [
    'a'.repeat(200_000) + '@',
    '1.'.repeat(100_000),
    'Basic ' + 'A'.repeat(200_000),
    '%40'.repeat(70_000),
    '-----BEGIN RSA PRIVATE KEY-----' + 'x'.repeat(200_000),
  ];
  for (const text of hostile) {
    const started = process.hrtime.bigint();
    mask(text);
    const millis = Number(process.hrtime.bigint() - started) / 1e6;
    t.ok(millis < 2000, `${text.slice(0, 12)}… (${text.length} chars) in ${millis.toFixed(0)} ms`);
  }
});

t.test('text is scanned as written and decoded: decoding never hides a finding', async (t) => {
  t.equal(mask('%0a@a.aa'), '****', 'an address as written (a newline when decoded)');
  t.equal(mask('x first.last%40example.com y'), 'x **** y', 'an address only when decoded, masked with its encoding');
});
