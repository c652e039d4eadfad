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
