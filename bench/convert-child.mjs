// Runs the built CLI in this process and reports its peak RSS (KiB) on stderr, for the scaling bench.
import { runCli } from '../dist/src/cli/main.js';

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.stderr.write(`\nBENCH ${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, code })}\n`);
process.exitCode = code;
