import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The checkout (or install) folder: the nearest folder above this module with Hotline's
 * package.json. The same whether this code runs from src/ through tsx or compiled into dist/server/.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; ) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'hotline') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Hotline's package.json was not found above ${from}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);
