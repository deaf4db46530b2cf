import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

/** Reads a file for a CLI argument, turning ENOENT and friends into a one-line usage error. */
export function readInputFile(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot read ${what} '${path}' (${code})`);
  }
}

/** Raw block files may be binary or hex text (as `getblock <hash> 0` prints); accept both. */
export function binaryOrHex(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1').trim();
  if (text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(text)) {
    return new Uint8Array(Buffer.from(text, 'hex'));
  }
  return bytes;
}
