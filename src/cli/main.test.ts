import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildCli } from './main';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every command under `command`, with its full name ("keys rotate"). */
function allCommands(command: Command, prefix: string[] = []): { name: string; command: Command }[] {
  return command.commands.flatMap((sub) => {
    const name = [...prefix, sub.name()];
    return [{ name: name.join(' '), command: sub }, ...allCommands(sub, name)];
  });
}

describe('hotline --help', () => {
  const program = buildCli();
  const commands = allCommands(program);

  it('has the foundation commands, each with a description and its own help', () => {
    expect(commands.map((c) => c.name)).toEqual(
      expect.arrayContaining(['serve', 'migrate', 'user', 'user invite', 'keys', 'keys rotate', 'keys list', 'keys remove', 'audit', 'audit verify', 'audit head', 'doctor', 'config']),
    );
    for (const { name, command } of commands) {
      expect({ name, described: command.description().length > 5 }).toEqual({ name, described: true });
      expect(command.helpInformation()).toMatch(new RegExp(`^Usage: hotline ${name}( |\\n)`));
    }
  });

  it('documents the options people need', () => {
    const help = (name: string) => commands.find((c) => c.name === name)!.command.helpInformation();
    expect(help('user invite').replace(/\s+/g, ' ')).toContain('--role <role> role of the new account (choices: "volunteer", "coordinator", "admin", "auditor")');
    expect(help('keys rotate')).toContain('--remove-old');
    expect(help('keys rotate')).toContain('--grace-seconds <n>');
    expect(help('keys remove')).toContain('Usage: hotline keys remove [options] <keyId>');
    expect(help('audit verify')).toContain('--expect <head>');
    expect(help('audit head')).toContain('--write');
  });

  it('runs as npx hotline in the checkout, for the program and a subcommand', () => {
    const top = spawnSync('npx', ['--no-install', 'hotline', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(top.status).toBe(0);
    expect(top.stdout).toContain('Usage: hotline [options] [command]');
    for (const name of ['serve', 'migrate', 'user', 'keys', 'audit', 'doctor']) expect(top.stdout).toMatch(new RegExp(`\\n  ${name}\\s`));
    const sub = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hotline.js'), 'keys', 'rotate', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(sub.status).toBe(0);
    expect(sub.stdout).toContain('Usage: hotline keys rotate [options]');
    const wrong = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hotline.js'), 'keys', 'rotat'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("error: unknown command 'rotat'");
  }, 120_000);
});
