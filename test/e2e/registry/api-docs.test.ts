import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, recordRequests } from '../../support/browser';
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

  it('documents the public and staff routes in the OpenAPI JSON', async () => {
    const spec = (await (await fetch(`${base}/api/docs/json`)).json()) as { paths: Record<string, unknown> };
    for (const route of ['/api/public/counters', '/api/public/statements', '/api/public/pow', '/api/public/receipts/lookup', '/api/statements', '/api/statements/{id}/reject', '/feeds/counters.json']) {
      expect(Object.keys(spec.paths)).toContain(route);
    }
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
