// Files the app writes for the researcher (exports): each written under a temporary name in its
// own folder and renamed into place only when complete, so a failed write (a full disk, a missing
// folder) leaves nothing half-written, and a file-system error is said as fileNotWritable.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ShirabeError } from '../../common/errors';

/** A temporary name beside the file, hidden, unique to this process and call. */
const temporaryBeside = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

/**
 * Runs `write` on a temporary file beside each target, then renames them into place; on any
 * failure removes every temporary (and any target already renamed, so a pair never mismatches).
 * An error of the file system becomes fileNotWritable. Returns the bytes written.
 */
export async function writeAtomically(targets: string[], write: (temporaries: string[]) => Promise<void>): Promise<number> {
  const temporaries = targets.map(temporaryBeside);
  const renamed: string[] = [];
  let current = targets[0];
  try {
    await write(temporaries);
    const bytes = temporaries.reduce((sum, t) => sum + statSync(t).size, 0);
    targets.forEach((target, i) => {
      current = target;
      renameSync(temporaries[i], target);
      renamed.push(target);
    });
    return bytes;
  } catch (err) {
    for (const t of [...temporaries, ...renamed]) rmSync(t, { force: true });
    throw asWriteError(err, current);
  }
}

/** One text file (UTF-8) written whole, atomically. */
export function writeFileAtomically(path: string, text: string): void {
  const tmp = temporaryBeside(path);
  try {
    writeFileSync(tmp, text, { encoding: 'utf8', flag: 'wx' });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw asWriteError(err, path);
  }
}

/** A file-system error (ENOENT, ENOSPC, EACCES, …) as fileNotWritable naming the file; anything else as it was. */
function asWriteError(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? new ShirabeError('fileNotWritable', { path, reason: code }) : err;
}
