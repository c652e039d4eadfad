import type { LightMyRequestResponse } from 'fastify';
import { solvePow } from '../../../src/domain/statements/anti-abuse';
import type { TestHotline } from '../../support/test-runtime';

/** Settings for registry API tests: an easy proof of work and no submission rate limit in the way. */
export const registryTestEnv = { HOTLINE_POW_DIFFICULTY: '6', HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: '100000' };

/** A solved proof of work from the server. */
export async function solvedPow(t: TestHotline): Promise<{ challenge: string; nonce: string }> {
  const response = await t.app.inject({ method: 'GET', url: '/api/public/pow' });
  const { challenge, difficulty } = response.json<{ challenge: string; difficulty: number }>();
  return { challenge, nonce: solvePow(challenge, difficulty) };
}

/** A valid public submission body (without anti-abuse evidence). */
export function publicSubmission(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { nameKind: 'pseudonym', name: '平安', organizations: ['league'], peopleCount: 1, region: '430000', text: '我自愿退出共青团', consent: true, ...extra };
}

/** Submits through the JSON API with a fresh proof of work. */
export async function submitPublic(t: TestHotline, extra: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission(extra), pow: await solvedPow(t) } });
}

/** The public counter, as the public reads it. */
export async function publicCounters(t: TestHotline): Promise<{ total: Record<string, number>; today: Record<string, number>; day: string; checkpointSize: number }> {
  // The public counters are the sums at the latest signed checkpoint: sign what was just committed.
  await t.app.services.log.sequenceNow();
  return (await t.app.inject({ method: 'GET', url: '/api/public/counters' })).json();
}

/** Everything the registry stores, to compare before and after hostile input. */
export async function registrySnapshot(t: TestHotline): Promise<unknown> {
  const db = t.runtime.store.kysely;
  return {
    statements: await db.selectFrom('statements').selectAll().orderBy('id').execute(),
    counters: await db.selectFrom('counters').selectAll().orderBy('dimension').orderBy('key').execute(),
    receipts: await db.selectFrom('receipts').selectAll().orderBy('code_hash').execute(),
    audit: await db.selectFrom('audit_log').select(['seq', 'action']).orderBy('seq').execute(),
    publicCounters: (await publicCounters(t)).total,
  };
}
