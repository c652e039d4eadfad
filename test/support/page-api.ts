import type { Page } from 'playwright-core';

/** Calls the API from a signed-in page, with its CSRF token, as the console does. */
export async function apiFromPage(page: Page, method: string, url: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: unknown }> {
  return page.evaluate(
    async ({ method, url, body, contentType }) => {
      const csrf = /(?:^|;\s*)(?:__Host-)?hotline_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch(url, {
        method,
        headers: { 'content-type': contentType, 'x-csrf-token': csrf },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // CSV and other text answers stay text.
      }
      return { status: response.status, json };
    },
    { method, url, body, contentType },
  );
}

/** Imports a call list and makes a campaign over it whose calling window is always open; returns the campaign's id. */
export async function seedCampaign(page: Page, name: string, rows: readonly (readonly [number: string, organization: string, category: string])[]): Promise<string> {
  const csv = `number,organization,category\n${rows.map((row) => row.join(',')).join('\n')}\n`;
  const imported = await apiFromPage(page, 'POST', `/api/operations/lists/import?name=${encodeURIComponent(name)}`, csv, 'text/csv');
  const { listId } = imported.json as { listId: string };
  const created = await apiFromPage(page, 'POST', '/api/operations/campaigns', { name, listIds: [listId], windowStartMinute: 0, windowEndMinute: 1440 });
  return (created.json as { id: string }).id;
}

/**
 * Something on every list of the console: a campaign whose numbers the volunteer holds, a saved
 * call with notes, a person registered and a follow-up contact, a number on the do-not-call list, a
 * shift. Used by the every-screen test and `npm run screenshots`.
 */
export async function seedEveryList(admin: Page, volunteer: Page): Promise<void> {
  const expectOk = (what: string, status: number) => {
    if (status >= 300) throw new Error(`seeding ${what} answered ${status}`);
  };
  const campaignId = await seedCampaign(admin, '湖南县政府', [
    ['+8673188880001', '县政府办公室', 'county_government'],
    ['+8673188880002', '城关派出所', 'police'],
    ['+8673188880003', '县人民医院', 'hospital'],
  ]);
  expectOk('claim', (await apiFromPage(volunteer, 'POST', `/api/operations/campaigns/${campaignId}/claim`, { size: 3 })).status);
  expectOk('do-not-call', (await apiFromPage(admin, 'POST', '/api/operations/do-not-call', { number: '+8613800000009', reason: '要求不再来电' })).status);
  expectOk('shift', (await apiFromPage(volunteer, 'POST', '/api/operations/shifts', { weekday: 2, startMinute: 20 * 60, durationMinutes: 240, timeZone: 'America/Toronto' })).status);
  const startedAt = Date.now() - 3_960_000;
  const saved = await apiFromPage(volunteer, 'POST', '/api/calls', {
    clientId: 'every-screen-call-1',
    direction: 'outbound',
    phone: '186 7311 2345',
    orgType: 'county_government',
    occupation: 'government',
    listeners: 19,
    outcome: 'registered',
    notes: '开会时接的电话，全屋都在听。',
    handedOut: { hotlineNumberGiven: true, circumventionTool: 'Freegate', materialsRequested: false },
    startedAt,
    answeredAt: startedAt + 5_000,
    endedAt: startedAt + 3_965_000,
    registrations: [{ clientId: 'every-screen-reg-1', nameKind: 'pseudonym', name: '万顺', cohorts: [{ count: 8, organizations: ['party'] }], consent: 'personal' }],
    followups: [{ clientId: 'every-screen-fu-1', name: '王', howToReach: '139 1234 5678', offered: '抓捕前提前通知' }],
  });
  expectOk('call', saved.status);
}
