import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, loadConfig } from './config';

describe('loadConfig', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'config-'));

  it('defaults to SQLite under ./data, port 8080, a key file outside the data folder', () => {
    const config = loadConfig({}, cwd);
    expect(config.PORT).toBe(8080);
    expect(config.database).toEqual({ kind: 'sqlite', file: path.join(cwd, 'data', 'hotline.db') });
    expect(config.keyFile.startsWith(config.dataDir)).toBe(false);
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.cookieSecure).toBe(false);
  });

  it('takes PORT, HOTLINE_DATA_DIR and a PostgreSQL URL from the environment', () => {
    const config = loadConfig({ PORT: '9090', HOTLINE_DATA_DIR: '/srv/hotline', HOTLINE_DATABASE_URL: 'postgres://h:pw@db:5432/hotline' }, cwd);
    expect(config.PORT).toBe(9090);
    expect(config.dataDir).toBe('/srv/hotline');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://h:pw@db:5432/hotline' });
    expect(describeDatabase(config.database)).toBe('PostgreSQL postgres://h:***@db:5432/hotline');
  });

  it('uses secure cookies behind a public https URL', () => {
    expect(loadConfig({ HOTLINE_PUBLIC_URL: 'https://hotline.example.org' }, cwd).cookieSecure).toBe(true);
  });

  it('names the wrong setting and what is expected', () => {
    expect(() => loadConfig({ PORT: 'x' }, cwd)).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'x' }, cwd)).toThrow('PORT: expected a port number (got "x")');
    expect(() => loadConfig({ HOTLINE_LOG_LEVEL: 'loud' }, cwd)).toThrow(/HOTLINE_LOG_LEVEL: .*\(got "loud"\)/);
  });

  it('reads a config file, and the environment wins over it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-file-'));
    writeFileSync(path.join(dir, 'hotline.config.json'), JSON.stringify({ PORT: 7070, HOTLINE_DATA_DIR: 'var' }));
    expect(loadConfig({}, dir).PORT).toBe(7070);
    expect(loadConfig({}, dir).dataDir).toBe(path.join(dir, 'var'));
    expect(loadConfig({ PORT: '6060' }, dir).PORT).toBe(6060);
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ PROT: 1 }));
    expect(() => loadConfig({ HOTLINE_CONFIG: 'bad.json' }, dir)).toThrow('PROT: unknown setting in');
  });
});
