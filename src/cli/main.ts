import { Command, Option } from 'commander';
import { describeDatabase } from '../config/config';
import { KeyringError } from '../crypto/keyring';
import { createInvitation, invitationLink } from '../domain/auth/create-invitation';
import { Roles, type Role } from '../domain/auth/policy';
import { GENESIS_MAC } from '../domain/audit/append-audit';
import { formatAuditHead, parseAuditHead } from '../domain/audit/audit-head';
import { verifyAuditLog } from '../domain/audit/verify-audit-log';
import { AppError } from '../shared/app-error';
import { keyUsage, removeKey, rotateKeys } from '../domain/keys/rotate-keys';
import { migrateToLatest } from '../db/database';
import { newKeyFileNotice, startServer } from '../server';
import { registerBackupCommands } from './commands/backup';
import { registerCallsCommands } from './commands/calls';
import { registerLogCommands } from './commands/log';
import { registerOperationsCommands } from './commands/operations';
import { registerRegistryCommands } from './commands/registry';
import { registerTelephonyCommands } from './commands/telephony';
import { runDoctor } from './doctor';
import { progressBar } from './progress';
import { configOrFail, reportFailure, withRuntime } from './run-command';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Builds the `hotline` command line. */
export function buildCli(): Command {
  const program = new Command('hotline')
    .description('Hotline: statement registry, volunteer console and call operations for a volunteer-run hotline')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });

  program
    .command('serve')
    .description('migrate the database and serve the public site, the console and the API')
    .action(async () => {
      const config = configOrFail();
      if (!config) return;
      try {
        const server = await startServer(config);
        const stop = () => {
          void server.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (error) {
        // startServer closed what it had opened; should anything still hold the process, it ends anyway.
        reportFailure(error);
        setTimeout(() => process.exit(1), 5000).unref();
      }
    });

  program
    .command('migrate')
    .description('apply pending database migrations (creates the key file on a brand-new install)')
    .action(() =>
      withRuntime({ createKeysIfNew: true, migrate: false }, async (runtime) => {
        if (runtime.createdKeyFile) out(newKeyFileNotice(runtime.config.keyFile));
        const applied = await migrateToLatest(runtime.connection.db);
        if (!(await runtime.store.meta.get('keyring_id'))) await runtime.store.meta.set('keyring_id', runtime.keyring.id);
        out(applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`);
      }),
    );

  const user = program.command('user').description('staff accounts');
  user
    .command('invite')
    .description('create a one-time invitation link for a new staff member')
    .addOption(new Option('--role <role>', 'role of the new account').choices([...Roles]).makeOptionMandatory())
    .action((options: { role: Role }) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        const invitation = await createInvitation(runtime, { actor: null, role: options.role });
        out(`Invitation for a new ${invitation.role} (valid until ${new Date(invitation.expiresAt).toISOString()}):`);
        out(`  ${invitationLink(runtime.config.publicUrl, invitation.token)}`);
      }),
    );

  const keys = program.command('keys').description('encryption keys');
  keys
    .command('rotate')
    .description('add a new data key, re-encrypt every personal field under it while the server keeps serving')
    .option('--grace-seconds <n>', 'seconds to let running servers pick up the new key first', '3')
    .option('--remove-old', 'remove the previous keys from the key file when nothing uses them any more')
    .action((options: { graceSeconds: string; removeOld?: boolean }) =>
      withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        const bar = progressBar('Re-encrypting');
        const result = await rotateKeys(runtime, { graceMs: Number(options.graceSeconds) * 1000, actorId: null, progress: bar });
        bar.stop();
        out(`New active key ${result.newKeyId}; re-encrypted ${result.reencrypted} value(s) in ${result.passes} pass(es).`);
        const stillUsed = [...result.stillUsing].filter(([, count]) => count > 0);
        for (const [old, count] of result.stillUsing) {
          if (count > 0) continue;
          if (options.removeOld) {
            await removeKey(runtime, { keyId: old, actorId: null });
            out(`Removed old key ${old}.`);
          } else {
            out(`Old key ${old} is no longer used; remove it with: hotline keys remove ${old}`);
          }
        }
        if (stillUsed.length > 0) {
          const list = stillUsed.map(([id, count]) => `${id} (${count} value(s))`).join(', ');
          throw new KeyringError(
            `re-encryption did not finish after ${result.passes} pass(es): old key(s) ${list} are still in use, so they stay in the key file. ` +
              'Something kept writing under an old key (a server that cannot read the key file, or one started with HOTLINE_KEYRING?). Fix that, then run "hotline keys rotate" again.',
          );
        }
      }),
    );
  keys
    .command('list')
    .description('list data keys and how many stored values each one encrypts')
    .action(() =>
      withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        const usage = await keyUsage(runtime);
        for (const [id, count] of usage) out(`${id}${id === runtime.keyring.activeKeyId ? ' (active)' : ''}: ${count} value(s)`);
      }),
    );
  keys
    .command('remove <keyId>')
    .description('remove an old data key once nothing uses it')
    .action((keyId: string) =>
      withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        await removeKey(runtime, { keyId, actorId: null });
        out(`Removed key ${keyId}.`);
      }),
    );

  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('check the audit chain and name the first altered or missing row')
    .option('--expect <head>', 'the head "hotline audit head" printed earlier (N:mac), kept somewhere the database cannot reach')
    .action((options: { expect?: string }) =>
      withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        const expectedHead = options.expect === undefined ? undefined : { head: parseAuditHead(options.expect), source: 'the head given with --expect' };
        const result = await verifyAuditLog(runtime, expectedHead ? { expectedHead } : {});
        if (!result.ok) {
          process.stderr.write(`hotline: audit log verification FAILED at row ${result.seq}: ${result.message}\n`);
          process.exitCode = 1;
          return;
        }
        out(`Audit log intact: ${result.rows} row(s) verified.`);
        if (result.anchoredSeq !== undefined) out(`It still holds row ${result.anchoredSeq}, the head recorded ${expectedHead ? 'by --expect' : `in ${runtime.config.auditHeadFile}`}.`);
        else out(`No head recorded outside the database (${runtime.config.auditHeadFile}), so rows deleted from the end could go unnoticed; keep the output of "hotline audit head" elsewhere.`);
      }),
    );
  audit
    .command('head')
    .description('print the newest row of the verified audit chain as N:mac, to keep apart from the database')
    .option('--write', `also reset the head file to it (after restoring the database from a backup)`)
    .action((options: { write?: boolean }) =>
      withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        // With --write the head file is being replaced, so it is not held against the chain.
        const result = await verifyAuditLog(options.write ? { ...runtime, auditHead: undefined } : runtime);
        if (!result.ok) throw new AppError('CONFLICT', `the audit chain does not verify (row ${result.seq}: ${result.message}); there is no trustworthy head to print`);
        const last = await runtime.store.audit.last();
        const head = { seq: last?.seq ?? 0, mac: last?.mac ?? GENESIS_MAC };
        if (options.write) runtime.auditHead?.replace(head);
        out(formatAuditHead(head));
      }),
    );

  program
    .command('doctor')
    .description('check configuration, database and keys, and print what is wrong')
    .action(async () => {
      const ok = await runDoctor(out);
      if (!ok) process.exitCode = 1;
    });

  program
    .command('config')
    .description('print the effective configuration (without secrets)')
    .action(() => {
      const config = configOrFail();
      if (!config) return;
      out(`port: ${config.PORT}\ndata folder: ${config.dataDir}\ndatabase: ${describeDatabase(config.database)}\nkey file: ${config.HOTLINE_KEYRING ? '(HOTLINE_KEYRING)' : config.keyFile}\npublic URL: ${config.publicUrl}`);
    });
  registerRegistryCommands(program);
  registerBackupCommands(program);
  registerCallsCommands(program);
  registerOperationsCommands(program);
  registerTelephonyCommands(program);
  registerLogCommands(program);
  return program;
}

