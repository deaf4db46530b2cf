import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Wallet passphrases for the CLI: typed on a terminal without echo, piped on stdin, or kept in a
 * file (what `tally up` does without a terminal, so scripts and CI can run it). Never logged.
 */

/** 32 random bytes, base64url: 256 bits, and safe to paste in a shell without quoting. */
export function generatePassphrase(): string {
  return randomBytes(32).toString('base64url');
}

/** The passphrase kept in `path` (its first line); a missing or empty file is a usage error. */
export function readPassphraseFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read passphrase file '${path}' (${(err as NodeJS.ErrnoException).code})`);
  }
  const passphrase = firstLine(text);
  if (passphrase === '') throw new UsageError(`passphrase file '${path}' is empty`);
  return passphrase;
}

/** Writes a new passphrase file readable by its owner only; never overwrites one (flag 'wx'). */
export function writePassphraseFile(path: string, passphrase: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${passphrase}\n`, { mode: 0o600, flag: 'wx' });
  // The mode given to writeFileSync is filtered by the umask; 0600 is the point of the file.
  chmodSync(path, 0o600);
}

/** Whether a person can be asked: both stdin and stderr (where prompts go) are terminals. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/**
 * Asks on the terminal without echoing what is typed (raw mode: Enter ends, Backspace erases,
 * Ctrl-C or Ctrl-D aborts). The prompt goes to stderr so stdout stays clean for results.
 */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  // Echo goes off before the prompt appears: what is typed (or pasted) right after it is not shown.
  input.setRawMode(true);
  output.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new UsageError('passphrase entry aborted'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.resume();
    input.on('data', onData);
  });
}

/** A new passphrase typed twice on the terminal; both must match and be non-empty. */
export async function promptNewPassphrase(what: string): Promise<string> {
  const first = await promptHidden(`Enter a passphrase for ${what}: `);
  if (first === '') throw new UsageError('the passphrase must not be empty');
  const second = await promptHidden('Repeat the passphrase: ');
  if (second !== first) throw new UsageError('the passphrases do not match');
  return first;
}

/** A passphrase from the terminal (no echo) or, when stdin is not one, the first line piped in. */
export async function readPassphrase(question: string): Promise<string> {
  if (canPrompt()) return promptHidden(question);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const passphrase = firstLine(Buffer.concat(chunks).toString('utf8'));
  if (passphrase === '') throw new UsageError('no passphrase given on stdin');
  return passphrase;
}

/** Only the line ending is removed: spaces can be part of a passphrase. */
function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? '';
}
