/**
 * Replacing a secret file so that a crash at any moment leaves either the old file or the new one,
 * never a half-written mix, and no moment where the secrets are readable by other users:
 * write a temporary file in the same directory, created with mode 0600 (then fchmod'ed, because
 * open's mode is filtered by the umask), fsync it, rename it over the target (atomic on POSIX
 * within one file system), then fsync the directory so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, type FileHandle, link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const SECRET_FILE_MODE = 0o600;

async function writeTemp(path: string, data: Uint8Array): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx': never follow or reuse an existing file at the temporary name.
  const handle = await open(temp, 'wx', SECRET_FILE_MODE);
  try {
    await handle.chmod(SECRET_FILE_MODE);
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw e;
  }
  await handle.close();
  return temp;
}

async function syncDirectory(path: string): Promise<void> {
  let dir: FileHandle;
  try {
    dir = await open(dirname(path), 'r');
  } catch (e) {
    // Windows cannot open a directory as a file (EISDIR/EPERM); its rename is durable without it.
    if (isUnsupportedDirectorySync(e)) return;
    throw e;
  }
  try {
    await dir.sync();
  } catch (e) {
    if (!isUnsupportedDirectorySync(e)) throw e;
  } finally {
    await dir.close();
  }
}

const isUnsupportedDirectorySync = (e: unknown): boolean =>
  ['EISDIR', 'EPERM', 'EINVAL'].includes((e as NodeJS.ErrnoException).code ?? '');

/** Atomically replaces (or creates) `path` with `data`, mode 0600. */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const temp = await writeTemp(path, data);
  try {
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  }
  await syncDirectory(path);
}

/**
 * Creates `path` with `data`, mode 0600, failing if it already exists. link(2) is the atomic
 * "rename unless the target exists": a concurrent creator cannot be overwritten.
 */
export async function createFileExclusive(path: string, data: Uint8Array): Promise<void> {
  const temp = await writeTemp(path, data);
  try {
    await link(temp, path);
  } finally {
    await unlink(temp).catch(() => {});
  }
  await syncDirectory(path);
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
