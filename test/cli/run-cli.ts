import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/shared.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The `node` arguments that run `tally` from the sources (through tsx). */
export const TALLY_NODE_ARGS: readonly string[] = ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts')];

/** Runs `tally <args>` from the sources (through tsx), as a user would run the installed binary. */
export function runCli(args: string[], timeoutMs = 60_000): CliResult {
  const res = spawnSync(process.execPath, [...TALLY_NODE_ARGS, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/**
 * runCli without blocking this process, for a CLI that talks to a server this test runs in-process
 * (a synchronous spawn would deadlock it). Stdin gets `input` and then closes, so a command that
 * reads it never waits; past `timeoutMs` the child is killed.
 */
export function runCliAsync(args: readonly string[], input = '', timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TALLY_NODE_ARGS, ...args], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
