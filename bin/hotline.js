#!/usr/bin/env node
// The `hotline` command. Runs the compiled server (dist/server, made by `npm run build`) when it
// is there and not older than the sources; a checkout without a build runs the TypeScript through
// tsx instead, saying so once on stderr when it has a build that is out of date.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist/server/hotline.js');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const sources = path.join(root, 'src');
const isCurrent = existsSync(compiled) && (!existsSync(sources) || statSync(compiled).mtimeMs >= newest(sources));
if (isCurrent) {
  await import(pathToFileURL(compiled).href);
} else {
  if (existsSync(compiled)) process.stderr.write('hotline: dist/server is older than src/; running the sources through tsx (npm run build compiles them)\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/hotline.ts');
}
