/**
 * `convert --to ocsf` as a user runs it, on every bundled example of every vendor, plain and
 * redacted: every line is an OCSF 1.8.0 event that validates against the generated schema, one
 * per unified event, and with `--redact default` no e-mail address is left in clear.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas/ocsf/ocsf-1.8.0.schema.json'), 'utf8')) as object);

const examples = ['wandb', 'snorkel', 'wherobots'].flatMap((v) =>
  readdirSync(path.join(ROOT, 'examples', v)).map((f) => path.join('examples', v, f)),
);

for (const file of examples) {
  t.test(file, async (t) => {
    const unified = await spawnCli(['convert', '--from', 'auto', path.join(ROOT, file)]);
    for (const redact of ['off', 'default']) {
      const r = await spawnCli(['convert', '--from', 'auto', path.join(ROOT, file), '--to', 'ocsf', '--redact', redact]);
      t.equal(r.code, unified.code, `${redact}: exit ${unified.code}, as the unified output`);
      const lines = r.stdout.split('\n').filter(Boolean);
      t.equal(lines.length, unified.stdout.split('\n').filter(Boolean).length, `${redact}: one OCSF event per unified event`);
      let bad = 0;
      for (const l of lines) if (!validate(JSON.parse(l))) bad++;
      t.equal(bad, 0, `${redact}: ${lines.length} OCSF events validate`);
      if (redact === 'default') t.notMatch(r.stdout, /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/, 'no e-mail in clear');
    }
  });
}
