import type { CallScriptRow } from '../../db/repositories/calls/index';
import type { SaveScriptInput } from '../../shared/schemas/calls';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { newId } from '../auth/secrets';
import { type Deps, inTransaction } from '../deps';

/** Shown until a coordinator writes the first script. */
export const DEFAULT_SCRIPT: Omit<CallScriptRow, 'created_at' | 'created_by'> = {
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
};

/** The newest version of every script (the built-in one while none exists). */
export async function listScripts(deps: Deps): Promise<Omit<CallScriptRow, 'created_at' | 'created_by'>[]> {
  const rows = await deps.store.calls.scripts.latest();
  return rows.length > 0 ? rows : [DEFAULT_SCRIPT];
}

/** Saves a new version of a script; earlier versions stay, so calls keep the version they used. */
export async function saveScript(
  deps: Deps,
  args: { actor: Actor; key: string; input: SaveScriptInput },
): Promise<{ id: string; version: number }> {
  authorize(args.actor, 'script.edit', undefined, deps.clock());
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
      details: { key: args.key, version },
    });
    return { id, version };
  });
}
