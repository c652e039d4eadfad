import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keyring, KeyringError, generateKeyringFile, withNewActiveKey, writeKeyringFile } from './keyring';

describe('Keyring', () => {
  it('encrypts with AES-GCM under the active key id and decrypts only in the same context', () => {
    const keyring = new Keyring(generateKeyringFile());
    const sealed = keyring.encrypt('王小明', 'statements.real_name');
    expect(Keyring.keyIdOf(sealed)).toBe(keyring.activeKeyId);
    expect(sealed.includes(Buffer.from('王小明'))).toBe(false);
    expect(keyring.decrypt(sealed, 'statements.real_name')).toBe('王小明');
    expect(() => keyring.decrypt(sealed, 'users.phone')).toThrow();
    // Same plaintext twice gives different ciphertexts (random IV).
    expect(keyring.encrypt('王小明', 'x').equals(keyring.encrypt('王小明', 'x'))).toBe(false);
  });

  it('detects a flipped bit', () => {
    const keyring = new Keyring(generateKeyringFile());
    const sealed = keyring.encrypt('+8613812345678', 'users.phone');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] as number) ^ 1;
    expect(() => keyring.decrypt(sealed, 'users.phone')).toThrow();
  });

  it('gives a stable keyed blind index that differs by key and by kind', () => {
    const a = new Keyring(generateKeyringFile());
    const b = new Keyring(generateKeyringFile());
    expect(a.blindIndex('phone', '+8613812345678').equals(a.blindIndex('phone', '+8613812345678'))).toBe(true);
    expect(a.blindIndex('phone', '+8613812345678').equals(b.blindIndex('phone', '+8613812345678'))).toBe(false);
    expect(a.blindIndex('phone', 'x').equals(a.blindIndex('name', 'x'))).toBe(false);
    expect(a.blindIndex('phone', 'x')).toHaveLength(16);
  });

  it('reads old ciphertexts after a new key becomes active, and picks up a key added to the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyring-'));
    const file = path.join(dir, 'k', 'hotline.keys');
    writeKeyringFile(file, generateKeyringFile());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const server = Keyring.fromFile(file);
    const cli = Keyring.fromFile(file);
    const old = server.encrypt('赵六', 'c');
    const { content, keyId } = withNewActiveKey(cli.snapshot());
    writeKeyringFile(file, content);
    cli.reload();
    const fresh = cli.encrypt('赵六', 'c');
    expect(Keyring.keyIdOf(fresh)).toBe(keyId);
    // The server has not reloaded yet: an unknown key id makes it re-read the file.
    expect(server.decrypt(fresh, 'c')).toBe('赵六');
    expect(server.decrypt(old, 'c')).toBe('赵六');
    expect(server.activeKeyId).toBe(keyId);
  });

  it('refuses a key file readable by others or damaged, saying why', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyring-'));
    const file = path.join(dir, 'loose.keys');
    writeFileSync(file, JSON.stringify(generateKeyringFile()), { mode: 0o644 });
    expect(() => Keyring.fromFile(file)).toThrow(/readable by other users \(mode 644\); run chmod 600/);
    const broken = path.join(dir, 'broken.keys');
    writeFileSync(broken, '{"format":"hotline-keyring/1"}', { mode: 0o600 });
    expect(() => Keyring.fromFile(broken)).toThrow(KeyringError);
  });
});
