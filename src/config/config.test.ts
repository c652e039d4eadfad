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

  it('reads HOTLINE_TRUST_PROXY as proxy hops or proxy addresses, never as "trust any header"', () => {
    expect(loadConfig({}, cwd).HOTLINE_TRUST_PROXY).toBe(false);
    expect(loadConfig({ HOTLINE_TRUST_PROXY: 'true' }, cwd).HOTLINE_TRUST_PROXY).toBe(1);
    expect(loadConfig({ HOTLINE_TRUST_PROXY: '2' }, cwd).HOTLINE_TRUST_PROXY).toBe(2);
    expect(loadConfig({ HOTLINE_TRUST_PROXY: '10.0.0.5, 10.0.1.0/24,::1' }, cwd).HOTLINE_TRUST_PROXY).toEqual(['10.0.0.5', '10.0.1.0/24', '::1']);
    expect(() => loadConfig({ HOTLINE_TRUST_PROXY: 'nginx' }, cwd)).toThrow(/HOTLINE_TRUST_PROXY: expected false, a number of proxy hops .*not an address: nginx/);
    expect(() => loadConfig({ HOTLINE_TRUST_PROXY: '10.0.0.0/33' }, cwd)).toThrow(/not an address: 10.0.0.0\/33/);
  });

  it('reads a config file, and the environment wins over it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-file-'));
    writeFileSync(path.join(dir, 'hotline.config.json'), JSON.stringify({ PORT: 7070, HOTLINE_DATA_DIR: 'var' }));
    expect(loadConfig({}, dir).PORT).toBe(7070);
    expect(loadConfig({}, dir).dataDir).toBe(path.join(dir, 'var'));
    expect(loadConfig({ PORT: '6060' }, dir).PORT).toBe(6060);
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ PROT: 1 }));
    expect(() => loadConfig({ HOTLINE_CONFIG: 'bad.json' }, dir)).toThrow(`PROT: unknown setting (in ${path.join(dir, 'bad.json')}); did you mean PORT?`);
  });

  it('refuses a mistyped HOTLINE_* variable, suggesting the setting it resembles', () => {
    expect(() => loadConfig({ HOTLINE_DATA_DIRR: '/srv/hotline' }, cwd)).toThrow('HOTLINE_DATA_DIRR: unknown setting (environment variable); did you mean HOTLINE_DATA_DIR?');
    expect(() => loadConfig({ HOTLINE_LOGLEVEL: 'debug', HOTLINE_KEY_FIEL: 'x' }, cwd)).toThrow(
      'Invalid configuration:\n  HOTLINE_KEY_FIEL: unknown setting (environment variable); did you mean HOTLINE_KEY_FILE?\n  HOTLINE_LOGLEVEL: unknown setting (environment variable); did you mean HOTLINE_LOG_LEVEL?',
    );
    expect(() => loadConfig({ HOTLINE_SOMETHING_ELSE_ENTIRELY: '1' }, cwd)).toThrow('HOTLINE_SOMETHING_ELSE_ENTIRELY: unknown setting (environment variable); see the README for the settings');
    expect(() => loadConfig({ HOTLINE_STAFF_PORT: '9443' }, cwd)).toThrow('HOTLINE_STAFF_PORT: separate public and staff ports are not supported yet; PORT serves both');
    // Names read by tests and tools, and variables of other programs, are not settings and pass.
    expect(loadConfig({ HOTLINE_TEST_DATABASE: 'postgres', HOTLINE_BENCH_IN_NETNS: '1', HOTLINE_CHROMIUM: '/usr/bin/chromium', PATH: '/bin', HOME: '/root' }, cwd).PORT).toBe(8080);
  });

  it('lets HOTLINE_COOKIE_SECURE override the choice made from the public URL', () => {
    expect(loadConfig({ HOTLINE_PUBLIC_URL: 'https://hotline.example.org', HOTLINE_COOKIE_SECURE: 'false' }, cwd).cookieSecure).toBe(false);
    expect(loadConfig({ HOTLINE_COOKIE_SECURE: 'true' }, cwd).cookieSecure).toBe(true);
    expect(loadConfig({ HOTLINE_PUBLIC_URL: 'http://10.0.0.5:8080' }, cwd).cookieSecure).toBe(true);
  });
});
