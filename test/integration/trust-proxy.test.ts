import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestHotline, startTestHotline } from '../support/test-runtime';
import { registryTestEnv } from './registry/helpers';

/** Receipt lookups allow 20 a minute per client; what counts as "the client" is the question here. */
async function lookupsUntilRefused(t: TestHotline, forwardedFor: (attempt: number) => string, remoteAddress = '127.0.0.1'): Promise<number> {
  for (let attempt = 1; attempt <= 40; attempt++) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/public/receipts/lookup',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor(attempt) },
      payload: { code: 'ABCD-EFGH-JKMN' },
    });
    if (response.statusCode === 429) return attempt;
  }
  return Number.POSITIVE_INFINITY;
}

describe('behind one proxy (HOTLINE_TRUST_PROXY=1, nginx appending $remote_addr)', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ env: { ...registryTestEnv, HOTLINE_TRUST_PROXY: '1' } });
  });
  afterAll(async () => t.close());

  it('keys the limit on the address the proxy saw, whatever the client wrote before it', async () => {
    // nginx turns a client's own "X-Forwarded-For: forged" into "forged, <real address>".
    expect(await lookupsUntilRefused(t, (attempt) => `10.9.${attempt}.1, 203.0.113.9`)).toBe(21);
  });

  it('still tells real clients apart', async () => {
    expect(await lookupsUntilRefused(t, () => '198.51.100.4')).toBe(21);
  });
});

describe('behind named proxies (HOTLINE_TRUST_PROXY=10.0.0.0/8)', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ env: { ...registryTestEnv, HOTLINE_TRUST_PROXY: '10.0.0.0/8' } });
  });
  afterAll(async () => t.close());

  it('skips the trusted proxies from the right and stops at the first address it does not trust', async () => {
    expect(await lookupsUntilRefused(t, (attempt) => `192.0.2.${attempt}, 203.0.113.9, 10.1.1.1`, '10.0.0.2')).toBe(21);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    expect(await lookupsUntilRefused(t, (attempt) => `192.0.2.${attempt}`, '198.51.100.77')).toBe(21);
  });
});
