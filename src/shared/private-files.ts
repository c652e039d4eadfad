import { chmodSync, existsSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Modes of what Hotline writes: readable and writable by its own user only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/**
 * From now on, every file and folder this process creates is its user's alone (SQLite's database,
 * WAL and shared-memory files, exports, assets), whatever the umask it was started with.
 */
export function createPrivately(): void {
  process.umask(0o077);
}

/** Sets a path's mode when it allows more than `mode`; true when it changed. */
function tighten(file: string, mode: number): boolean {
  const current = lstatSync(file).mode & 0o777;
  if ((current & ~mode) === 0) return false;
  chmodSync(file, mode);
  return true;
}

/** Every file and folder under `folder` (symbolic links are neither followed nor changed). */
function* walk(folder: string): Generator<{ file: string; isFolder: boolean }> {
  yield { file: folder, isFolder: true };
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) yield* walk(file);
    else if (entry.isFile()) yield { file, isFolder: false };
  }
}

/**
 * Makes Hotline's own files private where an earlier version, a restored backup or a copy left them
 * looser: everything under the data folder (files 0600, folders 0700), and the key file with the
 * files beside it that share its name (backups, the audit head). The key file's folder is made 0700
 * only when it holds nothing else, so a key file kept in a shared folder never changes that folder.
 * Returns the paths it changed, for the log.
 */
export function tightenPrivateFiles(options: { dataDir: string; keyFile: string; auditHeadFile: string }): string[] {
  const changed: string[] = [];
  const visit = (file: string, isFolder: boolean) => {
    if (tighten(file, isFolder ? PRIVATE_FOLDER_MODE : PRIVATE_FILE_MODE)) changed.push(file);
  };
  if (existsSync(options.dataDir)) for (const { file, isFolder } of walk(options.dataDir)) visit(file, isFolder);
  const keyFolder = path.dirname(options.keyFile);
  if (existsSync(keyFolder) && !isInside(keyFolder, options.dataDir)) {
    const ours = [path.basename(options.keyFile), path.basename(options.auditHeadFile)];
    const entries = readdirSync(keyFolder, { withFileTypes: true });
    const isOurs = (name: string) => ours.some((base) => name.startsWith(base));
    for (const entry of entries) if (entry.isFile() && isOurs(entry.name)) visit(path.join(keyFolder, entry.name), false);
    if (entries.every((entry) => isOurs(entry.name))) visit(keyFolder, true);
  }
  if (existsSync(options.auditHeadFile) && lstatSync(options.auditHeadFile).isFile()) visit(options.auditHeadFile, false);
  return [...new Set(changed)];
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
