#!/usr/bin/env node
// Reads TAP 14 (tap --reporter=tap) on stdin, echoes it, and ends with the line CI reads:
// `N passed, N failed[, N skipped][, N todo]`, counted from the real test points exactly as tap
// counts them (tap's own `# { total, pass, fail, skip, todo }`).
//
// tap counts every test point, leaf or subtest summary, except a summary that only restates
// its subtest (tap-parser's rule): the summary's name (unescaped: `\#` is `#`, `\\` is `\`)
// equals the `# Subtest:` name as written, the subtest had points of its own, its ok matches
// the subtest's, and it carries no SKIP or TODO. So a subtest with no points (`1..0`: a
// fast-check property, whose failure throws) is one point; a summary `not ok` over a subtest
// whose points all passed (a crashed or timed-out file) is one failure, so a crash can never
// pass as zero failures; and a subtest whose name holds `#` or `\` is one point more. Input with
// no `TAP version` line (tap never ran: the build or type-check before it failed) is one failure.
import { createInterface } from 'node:readline';

const POINT = /^( *)(not ok|ok)\b ?\d* ?-? ?(.*)$/;
const SUBTEST = /^( *)# Subtest: (.*)$/;
const PLAN = /^( *)1\.\.(\d+)/;
const counts = { pass: 0, fail: 0, skip: 0, todo: 0 };
let bailed = false;
let sawTap = false;

/** A test point's name and directive, as tap-parser's Result reads them. */
function parsePoint(rest) {
  const text = rest.replace(/\\\\/g, '\n');
  const [head, ...tail] = text.split(/(?<=\s|^)(?<!\\)#/g);
  let name = (head ?? '').replace(/\\#/g, '#').replace(/\n/g, '\\');
  const after = tail.join('#').replace(/\\#/g, '#').replace(/\n/g, '\\');
  const directive = /^(todo|skip)\S*\b/i.exec(after.trim().replace(/\s*\{$/, ''));
  const isTime = /^time=[0-9.]+m?s$/i.test(after.trim());
  if (!directive && !isTime && after) name += `#${after}`;
  return { name: name.replace(/\s*\{$/, '').trim(), kind: directive?.[1].toLowerCase() };
}

// Open subtests, innermost last: the `# Subtest:` name, the indent of its body, its points.
const open = [{ name: '', indent: 0, points: 0, ok: true, plan: -1 }];
let prevIndent = -1;

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  process.stdout.write(`${line}\n`);
  if (line.trim() === '') continue;
  const indent = line.length - line.trimStart().length;
  if (/^\s*Bail out!/.test(line)) bailed = true;
  if (/^TAP version \d+$/.test(line)) sawTap = true;
  const sub = SUBTEST.exec(line);
  const plan = PLAN.exec(line);
  const m = POINT.exec(line);
  if (sub) {
    open.push({ name: sub[2].trim(), indent: indent + 4, points: 0, ok: true, plan: -1 });
  } else if (plan && indent === open.at(-1).indent) {
    open.at(-1).plan = Number(plan[2]);
  } else if (m) {
    const ok = m[2] === 'ok';
    const { name, kind } = parsePoint(m[3]);
    let restates = false;
    // A point right after a deeper line, one level out from an open subtest, is its summary.
    if (open.length > 1 && open.at(-1).indent === indent + 4 && prevIndent >= indent + 4) {
      const child = open.pop();
      const childOk = child.ok && (child.plan === -1 || child.plan === child.points);
      restates = name === child.name && child.points > 0 && ok === childOk && !kind;
    }
    const frame = open.at(-1);
    frame.points++;
    if (!ok && !kind) frame.ok = false;
    if (!restates) counts[kind ?? (ok ? 'pass' : 'fail')]++;
  }
  prevIndent = indent;
}
if (bailed && counts.fail === 0) counts.fail = 1;
// No TAP at all (the type-check or the build before tap failed): not a run with nothing failed.
if (!sawTap && counts.fail === 0) counts.fail = 1;
console.log(
  `${counts.pass} passed, ${counts.fail} failed${counts.skip ? `, ${counts.skip} skipped` : ''}${counts.todo ? `, ${counts.todo} todo` : ''}`,
);
process.exitCode = counts.fail ? 1 : 0;
