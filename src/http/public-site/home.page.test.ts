import { describe, expect, it } from 'vitest';
import { excerpt, homePage } from './home.page';
import { pageContext } from './layout';

const assets = { css: '/assets/site.x.css', homeJs: '/assets/home.x.js', formJs: '/assets/form.x.js', regions: { 'zh-Hans': '/r1', 'zh-Hant': '/r2', en: '/r3' } };
const counts = (people: number) => ({ people, party: people, league: 0, pioneers: 0 });

describe('home page', () => {
  const render = (locale: 'zh-Hans' | 'en') =>
    homePage(pageContext(locale, assets), {
      counters: { total: { people: 1234567, party: 1000000, league: 200000, pioneers: 34567 }, today: counts(19), day: '2026-11-25', checkpointSize: 4242 },
      daily: [{ day: '2026-11-24', ...counts(5) }, { day: '2026-11-25', ...counts(19) }],
      latest: [{ sequence: 7, publicName: '<b>万顺</b>', provinceCode: '430000', day: '2026-11-25', counts: { people: 19, party: 8, league: 11, pioneers: 11 }, text: '<script>x</script>', corrected: true }],
      provinces: [
        { provinceCode: '430000', name: { en: 'Hunan', 'zh-Hans': '湖南省', 'zh-Hant': '湖南省' }, people: 19, party: 8, league: 11, pioneers: 11 },
        { provinceCode: '110000', name: { en: 'Beijing', 'zh-Hans': '北京市', 'zh-Hant': '北京市' }, people: 2, party: 1, league: 1, pioneers: 1 },
      ],
    }).value;

  it('links today’s feeds, RSS in the page’s language', () => {
    expect(render('en')).toContain('<a href="/feeds/statements/2026-11-25.rss?lang=en" type="application/rss+xml">RSS</a>');
    expect(render('zh-Hans')).toContain('<a href="/feeds/statements/2026-11-25.rss?lang=zh-Hans" type="application/rss+xml">RSS</a>');
  });

  it('shows people by province as bars, the largest full length, in the page language', () => {
    expect(render('en')).toContain('<li data-province="430000"><span class="province-name">Hunan</span><svg class="province-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect width="100" height="10"></rect></svg><span class="province-count">19</span></li>');
    expect(render('zh-Hans')).toContain('<span class="province-name">北京市</span><svg class="province-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect width="11" height="10"></rect></svg><span class="province-count">2</span>');
  });

  it('shows the total, today, the breakdown, the chart and the statements, escaped', () => {
    const page = render('zh-Hans');
    expect(page).toContain('1,234,567');
    expect(page).toContain('以上总数是公开透明日志在已签名的 <span data-field="checkpointSize">4,242</span> 条检查点处的合计。 <a href="/log/checkpoint">自己核查</a>');
    expect(page).toContain('<strong data-field="today.people">19</strong>');
    expect(page).toContain('data-field="total.pioneers">34,567<');
    expect(page).toContain('<title>2026-11-25: 19</title>');
    expect(page).toContain('从 2026-08-28 到 2026-11-25，共 24 人；单日最多 19 人。');
    expect(page).toContain('&lt;b&gt;万顺&lt;/b&gt;');
    expect(page).toContain('湖南省');
    expect(page).toContain('退党 · 退团 · 退队');
    expect(page).toContain('19 人');
    expect(page).toContain('<span class="corrected">已更正</span>');
    expect(page).not.toContain('<script>x');
    expect(page).toContain('<script src="/assets/home.x.js" defer></script>');
    expect(page).not.toMatch(/<script>|style="|https?:\/\//);
  });

  it('speaks English under /en/', () => {
    const page = render('en');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Hunan');
    expect(page).toContain('19 people');
  });

  it('cuts long texts at a character', () => {
    expect(excerpt('𠀀'.repeat(5), 3)).toBe('𠀀𠀀𠀀…');
    expect(excerpt('短', 3)).toBe('短');
  });
});
