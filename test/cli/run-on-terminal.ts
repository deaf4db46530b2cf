import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../support/shared.js';

/**
 * Runs `tally <args>` on a pseudo-terminal, as a person at a keyboard would: util-linux `script`
 * (in Debian's essential bsdutils) gives the command a terminal, and each answer is typed only
 * after its prompt has appeared, because a terminal echoes what arrives before the program turns
 * echo off. Returns everything the terminal showed, so a test can check what was (not) echoed.
 */
export interface TerminalStep {
  /** Wait for this on the screen... */
  readonly expect: RegExp;
  /** ...then type this (a trailing "\r" is the Enter key; "\x03" is Ctrl-C). */
  readonly type: string;
}

export interface TerminalResult {
  readonly status: number | null;
  readonly screen: string;
}

export function runOnTerminal(
  args: readonly string[],
  steps: readonly TerminalStep[],
  timeoutMs = 60_000,
): Promise<TerminalResult> {
  // script(1) runs the command through $SHELL -c. `exec` makes the shell replace itself with
  // node: a shell that stays (dash does) would also get the terminal's Ctrl-C, die of it and make
  // script report 130 while node is still shutting down cleanly. SHELL is pinned to the shell
  // CI machines have, so the test behaves the same under every login shell.
  const command = `exec ${[process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args].map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, SHELL: '/bin/sh' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let next = 0;
  /** Each prompt is looked for only in what appeared after the previous answer. */
  let from = 0;
  const advance = () => {
    const step = steps[next];
    if (step?.expect.test(screen.slice(from))) {
      next += 1;
      from = screen.length;
      child.stdin.write(step.type);
    }
  };
  const onData = (d: Buffer) => {
    screen += d.toString();
    advance();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run script(1) for a pseudo-terminal: ${err.message}`));
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ status, screen });
    });
  });
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
