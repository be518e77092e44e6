#!/usr/bin/env node
// Reads TAP 14 (tap --reporter=tap) on stdin, echoes it, and ends with the line CI reads:
// `N passed, N failed[, N skipped]`, counted from the real test points exactly as tap counts
// them (tap's own `# { total, pass }`).
//
// A point is a leaf assertion unless the line before it is its subtest's body (indented 4 or
// more past it). A subtest with no points of its own (`1..0`: a fast-check property, whose
// failure throws) is one point, as tap counts it. A subtest reported `not ok` without any
// failing leaf inside (a crashed or timed-out file) counts as one failure, so a crash can
// never pass as zero failures.
import { createInterface } from 'node:readline';

const POINT = /^( *)(not ok|ok)\b[^#]*(#\s*(SKIP|TODO)\b)?/i;
const SUBTEST = /^( *)# Subtest:/;
let passed = 0,
  failed = 0,
  skipped = 0,
  bailed = false;
const started = new Map(); // indent -> stack of { failed, points } when a subtest began
let prevIndent = -1;

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  process.stdout.write(`${line}\n`);
  if (line.trim() === '') continue;
  const indent = line.length - line.trimStart().length;
  if (/^\s*Bail out!/.test(line)) bailed = true;
  const sub = SUBTEST.exec(line);
  if (sub) {
    const stack = started.get(indent) ?? [];
    stack.push({ failed, points: passed + failed + skipped });
    started.set(indent, stack);
  } else {
    const m = POINT.exec(line);
    if (m) {
      const ok = m[2] === 'ok';
      const isSummary = prevIndent >= indent + 4;
      const before = isSummary ? started.get(indent)?.pop() : undefined;
      if (isSummary && before && passed + failed + skipped > before.points) {
        if (!ok && failed === before.failed) failed++;
      } else if (m[4]) skipped++;
      else if (ok) passed++;
      else failed++;
    }
  }
  prevIndent = indent;
}
if (bailed && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed ? 1 : 0;
