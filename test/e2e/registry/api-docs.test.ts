import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, recordRequests } from '../../support/browser';
import { signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

describe('API documentation at /api/docs', () => {
  let t: TestHotline;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    t = await startTestHotline();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await t.close();
  });

  it('renders the registry API from this server alone', async () => {
    const context = await browser.browser.newContext();
    const requests = recordRequests(context);
    const page = await context.newPage();
    await page.goto(`${base}/api/docs`);
    await page.getByText('/api/public/counters', { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await page.getByText('/api/public/receipts/lookup', { exact: true }).count()).toBeGreaterThan(0);
    expect(requests.length).toBeGreaterThan(2);
    const foreign = requests.filter((url) => !url.startsWith(base) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('describes the public API to everyone and the staff API only to signed-in staff, in JSON and YAML', async () => {
    const publicRoutes = ['/api/public/counters', '/api/public/statements', '/api/public/pow', '/api/public/receipts/lookup', '/feeds/counters.json', '/log/checkpoint', '/log/key'];
    const staffRoutes = ['/api/statements', '/api/statements/{id}/reject', '/api/users', '/api/auth/login', '/api/audit', '/api/followups'];
    const anonymous = (await (await fetch(`${base}/api/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(anonymous.paths)).toEqual(expect.arrayContaining(publicRoutes));
    expect(Object.keys(anonymous.paths).filter((path) => staffRoutes.includes(path))).toEqual([]);
    expect(Object.keys(anonymous.paths).filter((path) => !path.startsWith('/api/public') && !path.startsWith('/feeds/') && !path.startsWith('/log/') && path !== '/healthz')).toEqual([]);
    const yaml = await (await fetch(`${base}/api/docs/yaml`)).text();
    expect(yaml).toContain('/api/public/counters');
    expect(yaml).not.toContain('/api/users');

    const staff = await signUpStaff(t, 'volunteer');
    const signedIn = (await staff.request('GET', '/api/docs/json')).json<{ paths: Record<string, Record<string, { security?: unknown }>> }>();
    expect(Object.keys(signedIn.paths)).toEqual(expect.arrayContaining([...publicRoutes, ...staffRoutes]));
    expect(signedIn.paths['/api/statements']?.post?.security).toEqual([{ session: [] }]);
    expect(signedIn.paths['/api/public/counters']?.get?.security).toBeUndefined();
  });

  it('documents what the feeds answer: JSON, CSV and RSS for a day, the counters, and the errors', async () => {
    type Response = { content?: Record<string, { schema?: { type?: string; properties?: Record<string, unknown> } }> };
    const spec = (await (await fetch(`${base}/api/docs/json`)).json()) as { paths: Record<string, { get?: { responses?: Record<string, Response> } }> };
    const day = spec.paths['/feeds/statements/{file}']?.get?.responses;
    expect(Object.keys(day ?? {})).toEqual(expect.arrayContaining(['200', '400', '429']));
    expect(Object.keys(day?.['200']?.content ?? {}).sort()).toEqual(['application/json', 'application/rss+xml', 'text/csv']);
    expect(Object.keys(day?.['200']?.content?.['application/json']?.schema?.properties ?? {})).toEqual(expect.arrayContaining(['day', 'statements', 'next']));
    expect(day?.['200']?.content?.['text/csv']?.schema?.type).toBe('string');
    const counters = spec.paths['/feeds/counters.json']?.get?.responses?.['200'];
    expect(Object.keys(counters?.content?.['application/json']?.schema?.properties ?? {})).toEqual(expect.arrayContaining(['total', 'today', 'day']));
  });
});
