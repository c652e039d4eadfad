import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_TOKEN_MIN_AGE_MS } from '../../../src/domain/statements/anti-abuse';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { registrySnapshot } from '../registry/helpers';

type Fields = Record<string, string | string[]>;

const valid: Fields = {
  nameKind: 'pseudonym',
  name: '金福',
  organizations: ['party', 'league'],
  province: '430000',
  prefecture: '430100',
  county: '430121',
  peopleCount: '1',
  text: '我自愿退出中共及其附属组织。',
  consent: 'yes',
};

const MB = 'x'.repeat(1024 * 1024);
const SQL = "'; DROP TABLE statements; --";
const HTML = '<script>alert(1)</script><img src=x onerror=alert(1)>';
const LANGUAGE_PREFIXES = ['', '/zh-hant', '/en'] as const;

function encode(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
}

/** The value of the hidden form token in a rendered form. */
function formTokenOf(page: string): string {
  return /name="formToken" value="([^"]*)"/.exec(page)?.[1] ?? '';
}

/** The hidden fields a rendered form sends back: its token and its submission key. */
function hiddenFieldsOf(page: string): Fields {
  return { formToken: formTokenOf(page), submissionKey: /name="submissionKey" value="([^"]*)"/.exec(page)?.[1] ?? '' };
}

const receiptCodeOf = (page: string) => /data-receipt-code>([^<]+)</.exec(page)?.[1] ?? '';

describe('public site pages', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ env: { HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the home page in Simplified Chinese by default, the other languages by path or ?lang=, and Accept-Language only on /', async () => {
    const home = await t.app.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.body).toContain('<html lang="zh-Hans">');
    expect(home.body).toContain('已声明退出中共及其附属组织的人数');
    expect(home.body).toContain('<svg');
    expect((await t.app.inject({ url: '/zh-hant/' })).body).toContain('<html lang="zh-Hant">');
    expect((await t.app.inject({ url: '/en/' })).body).toContain('People who have declared');
    expect((await t.app.inject({ url: '/?lang=en' })).body).toContain('<html lang="en">');
    const hinted = await t.app.inject({ url: '/', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(hinted.body).toContain('<html lang="en">');
    expect(hinted.headers.vary).toMatch(/accept-language/i);
    expect((await t.app.inject({ url: '/submit', headers: { 'accept-language': 'en-US' } })).body).toContain('<html lang="zh-Hans">');
    expect((await t.app.inject({ url: '/en' })).headers.location).toBe('/en/');
  });

  it('compresses pages and serves the hashed assets with year-long caching, precompressed', async () => {
    const home = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, br' } });
    expect(home.headers['content-encoding']).toBe('br');
    const plain = (await t.app.inject({ url: '/' })).body;
    const css = /href="(\/assets\/site\.[0-9a-f]{12}\.css)"/.exec(plain)?.[1];
    expect(css).toBeDefined();
    const asset = await t.app.inject({ url: css!, headers: { 'accept-encoding': 'gzip' } });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    const script = /src="(\/assets\/home\.[0-9a-f]{12}\.js)"/.exec(plain)?.[1];
    expect((await t.app.inject({ url: script! })).headers['content-type']).toMatch(/javascript/);
  });
});

describe('the no-JavaScript statement form refuses bad input with a clear page and stores nothing', () => {
  let t: TestHotline;
  let before: unknown;
  beforeAll(async () => {
    t = await startTestHotline({ env: { HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: '1000' } });
    // One statement stored through the form already, so "unchanged" means more than "still empty".
    const form = await t.app.inject({ url: '/submit' });
    t.clock.advance(FORM_TOKEN_MIN_AGE_MS);
    const stored = await t.app.inject({
      method: 'POST',
      url: '/submit',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: encode({ ...valid, formToken: formTokenOf(form.body) }),
    });
    expect(stored.statusCode).toBe(200);
    before = await registrySnapshot(t);
  });
  afterAll(async () => {
    await t.close();
  });

  async function post(fields: Fields, url = '/submit') {
    const form = await t.app.inject({ url: url.replace(/submit$/, 'submit') });
    return t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: encode({ formToken: formTokenOf(form.body), ...fields }),
    });
  }

  it('escapes HTML and script injected into every field when it re-renders the form', async () => {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const response = await post({
      nameKind: hostile,
      name: hostile,
      organizations: [hostile],
      province: hostile,
      prefecture: hostile,
      county: hostile,
      peopleCount: hostile,
      text: hostile,
      consent: hostile,
      website: hostile,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).not.toContain('<script>alert');
    expect(response.body).not.toContain('<img src=x');
    // What the person typed comes back, escaped, so nothing is lost.
    expect(response.body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.body).toContain('名字最多 12 个字');
    expect(response.body).toContain('请选择用化名还是用真名');
    expect(response.body).toContain('请至少选择一个要退出的组织');
    expect(response.body).toContain('所选地区无效');
    expect(response.body).toContain('人数须是 1 到 1000 之间的整数');
  });

  it('keeps every value the person typed when one field is wrong', async () => {
    const response = await post({ ...valid, name: '金福8', text: '我的声明 <b>原文</b>' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('名字里不能有数字');
    expect(response.body).toContain('我的声明 &lt;b&gt;原文&lt;/b&gt;</textarea>');
    expect(response.body).toMatch(/value="430000" selected/);
    expect(response.body).toMatch(/value="430100" selected/);
    expect(response.body).toMatch(/value="430121" selected/);
    expect(response.body).toMatch(/value="party" checked/);
    expect(response.body).toMatch(/value="league" checked/);
    expect(response.body).not.toMatch(/value="pioneers" checked/);
    expect(response.body).toMatch(/name="consent" value="yes" checked/);
  });

  it('refuses careless pseudonyms with the reason, in the page language', async () => {
    const cases: [string, string][] = [
      ['asdf', '这像是在键盘上连着按出来的字母'],
      ['福福', '名字只是同一个字'],
      ['测试', '这像是占位的词'],
      ['', '请填写姓名或化名'],
      ['习近平', '声明不能用党和国家领导人的名字'],
      ['共产党', '声明不能用党和国家领导人的名字'],
    ];
    for (const [name, message] of cases) {
      const response = await post({ ...valid, name });
      expect(response.statusCode, name).toBe(400);
      expect(response.body, name).toContain(message);
    }
    const english = await post({ ...valid, name: 'qwerty' }, '/en/submit');
    expect(english.statusCode).toBe(400);
    expect(english.body).toContain('This looks like keys typed in a row');
    const traditional = await post({ ...valid, name: '習近平' }, '/zh-hant/submit');
    expect(traditional.statusCode).toBe(400);
    expect(traditional.body).toContain('聲明不能用黨和國家領導人的名字');
  });

  it('refuses region codes that do not exist or do not belong together', async () => {
    for (const region of [
      { province: '999999' },
      { province: "430000' OR '1'='1" },
      { province: '430000', prefecture: '110100' },
      { province: '430000', prefecture: '430100', county: '110101' },
      { province: '430100' },
      { province: '' },
    ]) {
      const response = await post({ ...valid, prefecture: '', county: '', ...region });
      expect(response.statusCode, JSON.stringify(region)).toBe(400);
      expect(response.body).toMatch(/所选地区无效|请选择所在的省份/);
    }
  });

  it('refuses wrong people counts and a missing consent', async () => {
    for (const peopleCount of ['0', '-1', '1001', '1.5', 'abc', '1e3']) {
      const response = await post({ ...valid, peopleCount });
      expect(response.statusCode, peopleCount).toBe(400);
      expect(response.body).toContain('人数须是 1 到 1000 之间的整数');
    }
    const { consent: _consent, ...withoutConsent } = valid;
    const response = await post(withoutConsent);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('请确认是您本人自愿发表这份声明');
  });

  it('answers a 1 MB field with a clear page, not an error dump', async () => {
    for (const field of ['name', 'text', 'province']) {
      const response = await post({ ...valid, [field]: 'x'.repeat(1024 * 1024) });
      expect(response.statusCode, field).toBe(413);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('提交的内容太长了');
    }
    const english = await post({ ...valid, text: '长'.repeat(1024 * 1024) }, '/en/submit');
    expect(english.statusCode).toBe(413);
    expect(english.body).toContain('What you sent is too long');
  });

  it('refuses a text over 2000 characters that fits the body limit', async () => {
    const response = await post({ ...valid, text: '声'.repeat(2001) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('声明内容最多 2000 字');
  });

  it('answers other content types with a page', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/submit', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: ['x'], organizations: { a: 1 } }) });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const text = await t.app.inject({ method: 'POST', url: '/submit', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(400);
    expect(text.body).toContain('请填写姓名或化名');
    const xml = await t.app.inject({ method: 'POST', url: '/submit', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.headers['content-type']).toMatch(/^text\/html/);
    expect(xml.body).toContain('提交没有成功');
  });

  const postRaw = (url: string, payload: string, contentType = 'application/x-www-form-urlencoded') =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });

  it('answers hostile receipt lookups in every language with a clear page that echoes nothing hostile', async () => {
    for (const prefix of LANGUAGE_PREFIXES) {
      const url = `${prefix}/receipt`;
      const cases: { payload: string; contentType?: string; status: number }[] = [
        { payload: encode({ code: SQL }), status: 400 },
        { payload: encode({ code: HTML }), status: 400 },
        { payload: encode({ code: 'AAAA BBBB CCCC OR 1' }), status: 404 },
        { payload: encode({ code: ['AAAA-BBBB-CCCC', 'DDDD-EEEE-FFFF'] }), status: 400 },
        { payload: 'code[]=AAAA-BBBB-CCCC&code[x]=1', status: 400 },
        { payload: encode({}), status: 400 },
        { payload: JSON.stringify({ code: 42 }), contentType: 'application/json', status: 400 },
        { payload: JSON.stringify({ code: ['AAAA-BBBB-CCCC'] }), contentType: 'application/json', status: 400 },
        { payload: JSON.stringify({ code: { $ne: null } }), contentType: 'application/json', status: 400 },
        { payload: '{"code":', contentType: 'application/json', status: 400 },
        { payload: encode({ code: MB }), status: 413 },
        { payload: encode({ code: 'A', other: MB }), status: 413 },
      ];
      for (const { payload, contentType, status } of cases) {
        const response = await postRaw(url, payload, contentType);
        const label = `${url} ${payload.slice(0, 60)}`;
        expect(response.statusCode, label).toBe(status);
        expect(response.headers['content-type'], label).toMatch(/^text\/html/);
        expect(response.body, label).not.toContain('<script>alert');
        // The typed code comes back in the field, escaped, so it can be corrected.
        expect(response.body, label).not.toContain("'; DROP");
        expect(response.body, label).not.toMatch(/已公开|已公開|Published,/);
      }
    }
    expect((await postRaw('/en/receipt', encode({ code: SQL }))).body).toContain('This does not look like a query code');
    expect((await postRaw('/zh-hant/receipt', encode({ code: MB }))).body).toContain('<html lang="zh-Hant">');
  });

  it('posts hostile statement forms in every language: a clear page, nothing stored', async () => {
    for (const prefix of LANGUAGE_PREFIXES) {
      const url = `${prefix}/submit`;
      for (const payload of [
        encode({ ...valid, name: SQL }),
        encode({ ...valid, province: SQL, prefecture: SQL, county: SQL }),
        encode({ ...valid, nameKind: ['pseudonym', 'real'], name: ['金福', '万顺'], peopleCount: ['1', '1000'] }),
        'nameKind[]=pseudonym&name[a]=x&organizations[0]=party&peopleCount[]=1',
        encode({ ...valid, text: MB }),
      ]) {
        const token = formTokenOf((await t.app.inject({ url })).body);
        t.clock.advance(FORM_TOKEN_MIN_AGE_MS);
        const response = await postRaw(url, `${encode({ formToken: token })}&${payload}`);
        expect(response.statusCode, `${url} ${payload.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.body).not.toContain('<script>alert');
      }
    }
  });

  it('serves every page for hostile ?lang= values and query strings, falling back to the path language and echoing nothing', async () => {
    const hostileQueries = [
      `lang=${encodeURIComponent(HTML)}`,
      `lang=${encodeURIComponent(SQL)}`,
      'lang=en&lang=zh-hant',
      'lang[]=en',
      'lang[__proto__]=en',
      '__proto__[polluted]=1&constructor[prototype][polluted]=1',
      `lang=${'x'.repeat(8_000)}`,
      `q=${encodeURIComponent(HTML)}&code=AAAA-BBBB-CCCC`,
      '%zz=%zz',
    ];
    for (const prefix of LANGUAGE_PREFIXES) {
      for (const page of ['/', '/submit', '/receipt']) {
        for (const query of hostileQueries) {
          const url = `${prefix}${page}?${query}`;
          const response = await t.app.inject({ url });
          expect(response.statusCode, url.slice(0, 120)).toBe(200);
          expect(response.headers['content-type']).toMatch(/^text\/html/);
          expect(response.body).not.toContain('<script>alert');
          expect(response.body).not.toContain('DROP TABLE');
          expect(response.body).not.toContain('x'.repeat(100));
          const expected = prefix === '/en' ? 'en' : prefix === '/zh-hant' ? 'zh-Hant' : 'zh-Hans';
          if (!query.startsWith('lang=en&')) expect(response.body, url.slice(0, 120)).toContain(`<html lang="${expected}">`);
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('left the stored statements, receipts, counters, audit log and public total exactly as they were', async () => {
    expect(await registrySnapshot(t)).toEqual(before);
  });
});

describe('the no-JavaScript statement form takes a good statement and the receipt page answers for it', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ env: { HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function freshToken(url = '/submit'): Promise<string> {
    return formTokenOf((await t.app.inject({ url })).body);
  }
  const send = (fields: Fields, url = '/submit') =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encode(fields) });
  const lookUp = (code: string, url = '/receipt') => send({ code }, url);

  it('asks to wait when the form is sent faster than a person can, refuses a form without evidence, and keeps the values', async () => {
    const before = await t.runtime.store.registry.statements.count();
    const tooFast = await send({ ...valid, formToken: await freshToken() });
    expect(tooFast.statusCode).toBe(400);
    expect(tooFast.body).toContain('提交得太快了');
    expect(tooFast.body).toContain('value="金福"');
    const forged = await send({ ...valid, formToken: 'f.abc.def' });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('表单已经更新');
    expect(forged.body).toContain('value="金福"');
    const withoutEvidence = await send(valid);
    expect(withoutEvidence.statusCode).toBe(400);
    expect(withoutEvidence.body).toContain('没有通过防滥用检查');
    expect(await t.runtime.store.registry.statements.count()).toBe(before);
  });

  it('shows the receipt code once, in the page (never in a URL); the code then shows the status, a wrong one nothing', async () => {
    const token = await freshToken('/en/submit');
    t.clock.advance(4_000);
    const before = await t.runtime.store.registry.statements.count();
    const response = await send({ ...valid, formToken: token }, '/en/submit');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.location).toBeUndefined();
    const code = /data-receipt-code>([^<]+)</.exec(response.body)?.[1] ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(response.body).toContain('Statement received');
    expect(await t.runtime.store.registry.statements.count()).toBe(before + 1);

    // A form token is spent: another statement cannot be sent with it.
    const other = await send({ ...valid, name: '金运', formToken: token }, '/en/submit');
    expect(other.statusCode).toBe(400);
    expect(await t.runtime.store.registry.statements.count()).toBe(before + 1);

    const found = await lookUp(code);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('已收到，正在等待审核');
    expect((await lookUp(code.toLowerCase(), '/en/receipt')).body).toContain('Received, waiting for review');
    const wrong = await lookUp('ABCD-EFGH-JKMN');
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toContain('没有找到与这个查询码对应的声明');
    expect(wrong.body).not.toMatch(/等待审核|已公开|未能公开/);
    const hostile = await lookUp('<script>alert(1)</script>');
    expect(hostile.statusCode).toBe(400);
    expect(hostile.body).not.toContain('<script>alert');
    expect((await lookUp('x'.repeat(1024 * 1024))).statusCode).toBe(413);
  });

  it('stores one statement however often the same form is sent: a double click, a retry after a lost answer, a resend after reload', async () => {
    const hidden = hiddenFieldsOf((await t.app.inject({ url: '/zh-hant/submit' })).body);
    expect(hidden.submissionKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    t.clock.advance(4_000);
    const before = await t.runtime.store.registry.statements.count();
    const form = { ...valid, name: '福寿', ...hidden };
    // A double click: the browser sends the form twice before either answer arrives.
    const [first, second] = await Promise.all([send(form, '/zh-hant/submit'), send(form, '/zh-hant/submit')]);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    const code = receiptCodeOf(first.body);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(receiptCodeOf(second.body)).toBe(code);
    // The answer was lost and the person sends again; later the receipt page is reloaded and the browser resends the form.
    for (let attempt = 0; attempt < 2; attempt++) {
      t.clock.advance(60_000);
      const again = await send(form, '/zh-hant/submit');
      expect(again.statusCode).toBe(200);
      expect(receiptCodeOf(again.body)).toBe(code);
    }
    expect(await t.runtime.store.registry.statements.count()).toBe(before + 1);
    expect((await lookUp(code, '/zh-hant/receipt')).body).toContain('已收到，正在等待審核');

    // Back, another name, send: another person's statement, with a code of its own (and fresh evidence).
    const changed = await send({ ...form, name: '吉祥' }, '/zh-hant/submit');
    expect(changed.statusCode).toBe(400);
    const fresh = hiddenFieldsOf(changed.body);
    expect(fresh.submissionKey).toBe(hidden.submissionKey);
    t.clock.advance(4_000);
    const another = await send({ ...form, name: '吉祥', ...fresh }, '/zh-hant/submit');
    expect(another.statusCode).toBe(200);
    expect(receiptCodeOf(another.body)).not.toBe(code);
    expect(await t.runtime.store.registry.statements.count()).toBe(before + 2);
  });

  it('answers a filled honeypot like a success and stores nothing', async () => {
    const token = await freshToken();
    t.clock.advance(4_000);
    const before = await t.runtime.store.registry.statements.count();
    const response = await send({ ...valid, formToken: token, website: 'http://spam.example' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/data-receipt-code>[A-Z2-9-]{14}</);
    expect(await t.runtime.store.registry.statements.count()).toBe(before);
  });
});

describe('the region picker without JavaScript: province, prefecture, then "show counties"', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ env: { HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await t.close();
  });
  const send = (fields: Fields, url = '/submit', remoteAddress?: string) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encode(fields), ...(remoteAddress ? { remoteAddress } : {}) });

  it('shows no county list until a prefecture is chosen, and a button that brings it', async () => {
    const page = (await t.app.inject({ url: '/submit' })).body;
    expect(page).toMatch(/<label data-county hidden>/);
    expect(page).toMatch(/<button type="submit" name="step" value="regions"[^>]*>显示所选城市的区县<\/button>/);
    expect((await t.app.inject({ url: '/en/submit' })).body).toContain('Show the counties of the chosen prefecture');
  });

  it('re-renders the form with the prefecture\'s counties and everything typed, storing and spending nothing', async () => {
    const before = await registrySnapshot(t);
    const form = await t.app.inject({ url: '/zh-hant/submit' });
    const token = formTokenOf(form.body);
    const { county: _county, ...typed } = valid;
    const step = await send({ ...typed, nameKind: 'real', name: '丽丽', formToken: token, step: 'regions' }, '/zh-hant/submit');
    expect(step.statusCode).toBe(200);
    expect(step.body).toContain('<html lang="zh-Hant">');
    expect(step.body).not.toMatch(/role="alert"/);
    expect(step.body).toMatch(/<label data-county>/);
    const countySelect = /<select name="county"[\s\S]*?<\/select>/.exec(step.body)?.[0] ?? '';
    expect(countySelect).toContain('<option value="430121">長沙縣</option>');
    expect(countySelect).toContain('<option value="430102">芙蓉區</option>');
    expect(countySelect).not.toContain('<option value="430202">');
    expect(step.body).toMatch(/value="430000" selected/);
    expect(step.body).toMatch(/value="430100" selected/);
    expect(step.body).toContain('value="丽丽"');
    expect(step.body).toMatch(/name="nameKind" value="real" checked/);
    expect(step.body).toContain('我自愿退出中共及其附属组织。</textarea>');
    expect(step.body).toMatch(/value="party" checked/);
    expect(step.body).toMatch(/name="consent" value="yes" checked/);
    expect(await registrySnapshot(t)).toEqual(before);

    // The county chosen, the form sent: the statement is stored at the county.
    t.clock.advance(FORM_TOKEN_MIN_AGE_MS);
    const sent = await send({ ...typed, nameKind: 'real', name: '丽丽', county: '430121', formToken: formTokenOf(step.body) }, '/zh-hant/submit');
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toMatch(/data-receipt-code>[A-Z2-9-]{14}</);
    const rows = await t.runtime.store.kysely.selectFrom('statements').select(['region_code', 'province_code', 'status']).execute();
    expect(rows).toEqual([{ region_code: '430121', province_code: '430000', status: 'pending' }]);
  });

  it('accepts a form token only from the visitor it was issued to, and gives that visitor a fresh one with everything kept', async () => {
    const count = await t.runtime.store.registry.statements.count();
    const form = await t.app.inject({ url: '/submit', remoteAddress: '192.0.2.10' });
    t.clock.advance(FORM_TOKEN_MIN_AGE_MS);
    const elsewhere = await send({ ...valid, name: '万顺', formToken: formTokenOf(form.body) }, '/submit', '192.0.2.99');
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.body).toContain('表单已经更新');
    expect(elsewhere.body).toContain('value="万顺"');
    expect(await t.runtime.store.registry.statements.count()).toBe(count);
    t.clock.advance(FORM_TOKEN_MIN_AGE_MS);
    const again = await send({ ...valid, name: '万顺', formToken: formTokenOf(elsewhere.body) }, '/submit', '192.0.2.99');
    expect(again.statusCode).toBe(200);
    expect(await t.runtime.store.registry.statements.count()).toBe(count + 1);
  });

  it('lets a form token expire after half an hour, keeping what was typed', async () => {
    const count = await t.runtime.store.registry.statements.count();
    const form = await t.app.inject({ url: '/en/submit' });
    t.clock.advance(31 * 60_000);
    const late = await send({ ...valid, name: '吉祥', formToken: formTokenOf(form.body) }, '/en/submit');
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('The form had to be renewed for your safety');
    expect(late.body).toContain('value="吉祥"');
    expect(await t.runtime.store.registry.statements.count()).toBe(count);
  });
});

describe('the statement form under a flood', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ env: { HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers posts over the per-minute limit with a translated page', async () => {
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 5; i++) {
      const response = await t.app.inject({ method: 'POST', url: '/zh-hant/submit', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encode({ ...valid, name: '' }) });
      statuses.push(response.statusCode);
      last = response.body;
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
    expect(last).toContain('<html lang="zh-Hant">');
    expect(last).toContain('提交太頻繁了');
  });

  it('hands out form pages (each with a token) at a limited rate', async () => {
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 32; i++) {
      const response = await t.app.inject({ url: '/en/submit', remoteAddress: '198.51.100.7' });
      statuses.push(response.statusCode);
      last = response.body;
    }
    expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect(last).toContain('<html lang="en">');
    expect(last).not.toContain('name="formToken"');
    // Another visitor is not affected.
    expect((await t.app.inject({ url: '/en/submit', remoteAddress: '198.51.100.8' })).statusCode).toBe(200);
  });
});
