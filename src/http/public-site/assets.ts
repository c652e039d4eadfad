import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../../shared/project-root';
import { LOCALES, type Locale } from '../../shared/localized-text';
import { regionTreeForPicker } from '../../shared/regions';
import type { AssetUrls } from './layout';

/** Where the public site's hand-written static files live in the checkout. */
export const PUBLIC_ASSET_SOURCE = `${path.join(PROJECT_ROOT, 'web/public')}${path.sep}`;

/** The URL prefix of hashed public assets; everything under it may be cached for a year. */
export const ASSET_PREFIX = '/assets/';

function writeAtomically(file: string, bytes: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

/** Writes one asset under a name carrying its content hash, with gzip and brotli copies next to it. */
function emit(outDir: string, base: string, ext: string, bytes: Buffer): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const name = `${base}.${hash}.${ext}`;
  const file = path.join(outDir, name);
  writeAtomically(file, bytes);
  writeAtomically(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  writeAtomically(`${file}.br`, brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  return `${ASSET_PREFIX}${name}`;
}

/**
 * Prepares the public site's static files once at start: each is written under a content-hashed
 * name (so a page always names the exact version it was rendered with and browsers may cache it
 * forever) together with precompressed copies, and served by @fastify/static from there. The region
 * picker's tree is written the same way, one JSON file per locale, so only the form page loads it.
 */
export async function registerPublicAssets(app: FastifyInstance, cacheDir: string): Promise<AssetUrls> {
  const outDir = path.join(cacheDir, 'public-site-assets');
  mkdirSync(outDir, { recursive: true });
  const source = (name: string) => readFileSync(path.join(PUBLIC_ASSET_SOURCE, name));
  const regions = {} as Record<Locale, string>;
  for (const locale of LOCALES) regions[locale] = emit(outDir, `regions.${locale}`, 'json', Buffer.from(JSON.stringify(regionTreeForPicker(locale))));
  const urls: AssetUrls = {
    css: emit(outDir, 'site', 'css', source('site.css')),
    homeJs: emit(outDir, 'home', 'js', source('home.js')),
    formJs: emit(outDir, 'form', 'js', source('form.js')),
    regions,
  };
  await app.register(fastifyStatic, {
    root: outDir,
    prefix: ASSET_PREFIX,
    decorateReply: false,
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    index: false,
    list: false,
    serveDotFiles: false,
    schemaHide: true,
  });
  return urls;
}
