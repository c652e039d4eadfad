import type { CallScriptRow } from '../../db/repositories/calls/index';
import { AppError } from '../../shared/app-error';
import type { SaveScriptInput } from '../../shared/schemas/calls';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { newId } from '../auth/secrets';
import { type Deps, inTransaction } from '../deps';

/** One version of a script as the domain hands it out (who wrote it is not shown). */
export type ScriptVersion = Omit<CallScriptRow, 'created_by'>;

/** Shown until a coordinator saves a script under its key; calls that used it store version 0. */
export const DEFAULT_SCRIPT: ScriptVersion = {
  id: 'default',
  key: 'opening',
  version: 0,
  title_zh: '开场与三退',
  title_en: 'Opening and withdrawal',
  body_zh:
    '您好，打扰您几分钟。我们是海外的志愿者，给您打电话是希望您平安。\n' +
    '• 很多人已经声明退出党、团、队，可以用化名，例如“金福”“万顺”。\n' +
    '• 声明是为自己留一份平安，不需要任何人知道。\n' +
    '• 身边的同事、家人如果愿意，也可以一起登记。\n' +
    '• 可以留下热线号码，24 小时有人接听。',
  body_en:
    'Hello, may I have a few minutes? We are volunteers abroad calling to wish you safety.\n' +
    '• Many people have renounced the Party, League and Pioneers; a pseudonym such as 金福 or 万顺 is fine.\n' +
    '• A statement is for your own safety; nobody needs to know.\n' +
    '• Co-workers and family who agree can be registered too.\n' +
    '• Offer the hotline number, answered 24 hours a day.',
  created_at: 0,
};

function withoutAuthor(row: CallScriptRow): ScriptVersion {
  const { created_by: _author, ...rest } = row;
  return rest;
}

/** The newest version of every script, by key; the built-in opening until one is saved under its key. */
export async function listScripts(deps: Deps): Promise<ScriptVersion[]> {
  const rows = (await deps.store.calls.scripts.latest()).map(withoutAuthor);
  if (!rows.some((row) => row.key === DEFAULT_SCRIPT.key)) rows.push(DEFAULT_SCRIPT);
  return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Every version of one script, newest first (coordinators, to compare and restore). */
export async function listScriptVersions(deps: Deps, args: { actor: Actor; key: string }): Promise<ScriptVersion[]> {
  authorize(args.actor, 'script.edit', undefined, deps.clock());
  const rows = (await deps.store.calls.scripts.versions(args.key)).map(withoutAuthor);
  if (args.key === DEFAULT_SCRIPT.key) rows.push(DEFAULT_SCRIPT);
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'No such script');
  return rows;
}

/** Throws VALIDATION_FAILED unless `key` at `version` exists (a call names the version it showed). */
export async function assertScriptVersionExists(deps: Deps, key: string, version: number | undefined): Promise<void> {
  if (version === undefined) throw new AppError('VALIDATION_FAILED', 'scriptVersion is missing', { details: { field: 'scriptVersion' } });
  if (key === DEFAULT_SCRIPT.key && version === DEFAULT_SCRIPT.version) return;
  if (!(await deps.store.calls.scripts.findVersion(key, version)))
    throw new AppError('VALIDATION_FAILED', 'No such script version', { details: { field: 'scriptId' } });
}

/** Saves a new version of a script (a new key makes a new script); earlier versions stay, so calls keep the version they used. */
export async function saveScript(
  deps: Deps,
  args: { actor: Actor; key: string; input: SaveScriptInput },
): Promise<{ id: string; version: number }> {
  authorize(args.actor, 'script.edit', undefined, deps.clock());
  return writeVersion(deps, { actor: args.actor, key: args.key, input: args.input });
}

/** Makes an earlier version the current one again, as a new version (history is never rewritten). */
export async function restoreScriptVersion(
  deps: Deps,
  args: { actor: Actor; key: string; version: number },
): Promise<{ id: string; version: number }> {
  authorize(args.actor, 'script.edit', undefined, deps.clock());
  const old =
    args.key === DEFAULT_SCRIPT.key && args.version === DEFAULT_SCRIPT.version
      ? DEFAULT_SCRIPT
      : await deps.store.calls.scripts.findVersion(args.key, args.version);
  if (!old) throw new AppError('NOT_FOUND', 'No such script version');
  return writeVersion(deps, {
    actor: args.actor,
    key: args.key,
    input: { titleZh: old.title_zh, titleEn: old.title_en, bodyZh: old.body_zh, bodyEn: old.body_en },
    restoredFrom: args.version,
  });
}

async function writeVersion(
  deps: Deps,
  args: { actor: Actor; key: string; input: SaveScriptInput; restoredFrom?: number },
): Promise<{ id: string; version: number }> {
  return deps.store.transaction(async (tx) => {
    await tx.lock(`script:${args.key}`);
    const version = (await tx.calls.scripts.latestVersion(args.key)) + 1;
    const id = newId();
    const { input } = args;
    await tx.calls.scripts.insert({
      id,
      key: args.key,
      version,
      title_zh: input.titleZh,
      title_en: input.titleEn,
      body_zh: input.bodyZh,
      body_en: input.bodyEn,
      created_by: args.actor.id,
      created_at: deps.clock(),
    });
    await appendAudit(inTransaction(deps, tx), {
      actorId: args.actor.id,
      action: 'script.edit',
      entityType: 'call_script',
      entityId: id,
      details: { key: args.key, version, ...(args.restoredFrom !== undefined ? { restoredFrom: args.restoredFrom } : {}) },
    });
    return { id, version };
  });
}
