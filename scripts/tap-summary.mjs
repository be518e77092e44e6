#!/usr/bin/env node
// Reads TAP 14 (tap --reporter=tap) on stdin, echoes it, and ends with the line CI reads:
// `N passed, N failed[, N skipped]`, counted from the real test points.
//
// A point is a leaf assertion unless the line before it is its subtest's body (indented 4 or
// more past it). A subtest reported `not ok` without any failing leaf inside (a crashed or
// timed-out file) counts as one failure, so a crash can never pass as zero failures.
import { createInterface } from 'node:readline';

const POINT = /^( *)(not ok|ok)\b[^#]*(#\s*(SKIP|TODO)\b)?/i;
const SUBTEST = /^( *)# Subtest:/;
let passed = 0, failed = 0, skipped = 0, bailed = false;
const failuresAtStart = new Map(); // indent -> stack of failure counts when a subtest began
let prevIndent = -1;

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  process.stdout.write(`${line}\n`);
  if (line.trim() === '') continue;
  const indent = line.length - line.trimStart().length;
  if (/^\s*Bail out!/.test(line)) bailed = true;
  const sub = SUBTEST.exec(line);
  if (sub) {
    const stack = failuresAtStart.get(indent) ?? [];
    stack.push(failed);
    failuresAtStart.set(indent, stack);
  } else {
    const m = POINT.exec(line);
    if (m) {
      const ok = m[2] === 'ok';
      const isSummary = prevIndent >= indent + 4;
      if (isSummary) {
        const before = failuresAtStart.get(indent)?.pop() ?? failed;
        if (!ok && failed === before) failed++;
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
