import { spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import { ROOT } from './golden.js';
import { childEnv } from './child-env.js';

export { childEnv };

/** A Writable that keeps what is written; `isTTY` can be set to test terminal behaviour. */
export class Capture extends Writable {
  chunks: string[] = [];
  isTTY?: boolean;
  columns = 100;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk.toString());
    cb();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/** Runs the CLI in-process; returns exit code, stdout and stderr. */
export async function cli(args: string[], opts: { tty?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  if (opts.tty) stderr.isTTY = true;
  const code = await runCli(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * What node runs to start `auditkit` as a user does: the built CLI (`npm test` builds first, so
 * it is the source under test), about 0.4 s faster a start than the source through tsx.
 */
export const CLI_ARGS: readonly string[] = [path.join(ROOT, 'dist/src/cli/main.js')];

/**
 * Runs the built `auditkit` as a child process, feeding `input` on stdin. `wrapper` is a
 * command line that runs node under it (`setpriv ...`, `env -i ...`).
 */
export function spawnCli(
  args: string[],
  input?: string | Buffer,
  nodeArgs: string[] = [],
  wrapper: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [cmd, ...argv] = [...wrapper, process.execPath, ...nodeArgs, ...CLI_ARGS, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, argv, {
      cwd: ROOT,
      env: childEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    child.stdin.on('error', () => undefined); // a command that exits before reading stdin
    child.stdin.end(input);
  });
}
