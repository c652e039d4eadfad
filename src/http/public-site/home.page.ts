import { regionName } from '../../shared/regions';
import type { Organization } from '../../shared/schemas/statements';
import { dailyChart } from './daily-chart';
import { html, type SafeHtml } from './html';
import { INTL_TAG } from './i18n';
import { layout, type PageContext, pageUrl } from './layout';
import type { DailyCountView, ProvinceCountView, PublicCountersView, PublicStatementView } from './registry-port';

/** Days the home page's chart covers. */
export const CHART_DAYS = 90;
/** Statements the home page lists. */
export const LATEST_COUNT = 20;
/** Characters of each statement's text the home page shows, so twenty long ones stay within the page budget. */
export const EXCERPT_LENGTH = 160;

/** The start of a text, cut at a character (not a UTF-16 unit) boundary, with an ellipsis when cut. */
export function excerpt(text: string, length: number): string {
  const chars = Array.from(text);
  return chars.length <= length ? text : `${chars.slice(0, length).join('').trimEnd()}…`;
}

const ORGANIZATIONS: readonly Organization[] = ['party', 'league', 'pioneers'];

/** A number formatter for a page's locale (1,234,567). */
export function numberFormatter(ctx: PageContext): (n: number) => string {
  const format = new Intl.NumberFormat(INTL_TAG[ctx.locale]);
  return (n) => format.format(n);
}

function statementItem(ctx: PageContext, statement: PublicStatementView, format: (n: number) => string): SafeHtml {
  const { t, locale } = ctx;
  const place = statement.provinceCode === null ? undefined : regionName(statement.provinceCode, locale);
  const organizations = ORGANIZATIONS.filter((o) => statement.counts[o] > 0).map((o) => t(`org.${o}`));
  return html`<li><article class="statement">
<header><strong class="who">${statement.publicName}</strong>
<span>${place ?? t('statement.region.none')}</span>
<time datetime="${statement.day}">${statement.day}</time>
<span class="orgs">${organizations.join(' · ')}</span>${statement.counts.people > 1 ? html` <span>${t('statement.people', { count: format(statement.counts.people) })}</span>` : ''}
<span class="seq">${t('statement.number', { sequence: statement.sequence })}</span>${statement.corrected ? html` <span class="corrected">${t('statement.corrected')}</span>` : ''}</header>
${statement.text === '' ? '' : html`<p>${excerpt(statement.text, EXCERPT_LENGTH)}</p>`}
</article></li>`;
}

/**
 * People per province as bars drawn in inline SVG (no script, no style attribute, nothing from
 * another host): each bar's length is its share of the largest province, the number beside it.
 */
function provinceBars(ctx: PageContext, provinces: readonly ProvinceCountView[], format: (n: number) => string): SafeHtml {
  const { t } = ctx;
  if (provinces.length === 0) return html`<p class="muted">${t('home.provinces.none')}</p>`;
  const largest = Math.max(...provinces.map((p) => p.people), 1);
  return html`<ol class="provinces" aria-label="${t('home.provinces.title')}">${provinces.map(
    (p) =>
      html`<li data-province="${p.provinceCode}"><span class="province-name">${p.name[ctx.locale]}</span><svg class="province-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect width="${String(Math.max(1, Math.round((p.people / largest) * 100)))}" height="10"></rect></svg><span class="province-count">${format(p.people)}</span></li>`,
  )}</ol>`;
}

/** Today's statements and the live counters as feeds (RSS in the page's language), for readers and partner sites. */
function feedLinks(ctx: PageContext, day: string): SafeHtml {
  const { t } = ctx;
  const base = `/feeds/statements/${day}`;
  return html`<p class="feeds">${t('home.feeds')} <a href="${base}.rss?lang=${ctx.locale}" type="application/rss+xml">RSS</a> · <a href="${base}.csv">CSV</a> · <a href="${base}.json">JSON</a> · <a href="/feeds/counters.json">${t('home.feeds.counters')}</a></p>`;
}

/** Which signed checkpoint of the transparency log the counters are the sums of (its size updated live). */
function logLine(ctx: PageContext, size: number, format: (n: number) => string): SafeHtml {
  const [before = '', after = ''] = ctx.t('home.log', { size: '\u0000' }).split('\u0000');
  return html`${before}<span data-field="checkpointSize">${format(size)}</span>${after}`;
}

/** The counters block; the ids and data-field names are what home.js updates from the stream. */
function countersBlock(ctx: PageContext, counters: PublicCountersView, format: (n: number) => string, logKey: string | undefined): SafeHtml {
  const { t } = ctx;
  return html`<section class="hero">
<p class="label">${t('home.total')}</p>
<p class="total"><span data-field="total.people">${format(counters.total.people)}</span></p>
<p class="today">${t('home.today')} <strong data-field="today.people">${format(counters.today.people)}</strong></p>
<dl class="breakdown" aria-label="${t('home.breakdown')}">${ORGANIZATIONS.map(
    (o) => html`<div><dt>${t(`org.${o}`)}</dt><dd data-field="total.${o}">${format(counters.total[o])}</dd></div>`,
  )}</dl>
<p class="live" data-live hidden>${t('home.updated')}</p>
<p class="log">${logLine(ctx, counters.checkpointSize, format)} <a href="/log/checkpoint">${t('home.log.check')}</a>${logKey === undefined ? '' : html` <code class="log-key" translate="no">${logKey}</code>`}</p>
<p class="actions"><a class="button" href="${pageUrl('submit', ctx.locale)}">${t('home.act.submit')}</a>
<a href="${pageUrl('receipt', ctx.locale)}">${t('home.act.receipt')}</a></p>
</section>`;
}

/** The home page: live total, today's count, per-organization breakdown, daily chart, latest statements. */
export function homePage(
  ctx: PageContext,
  data: { counters: PublicCountersView; daily: readonly DailyCountView[]; latest: readonly PublicStatementView[]; provinces: readonly ProvinceCountView[]; logKey?: string },
): SafeHtml {
  const { t } = ctx;
  const format = numberFormatter(ctx);
  const body = html`<div id="counters" data-stream="/api/public/counters/stream" data-locale="${INTL_TAG[ctx.locale]}">
${countersBlock(ctx, data.counters, format, data.logKey)}
</div>
<section>
<h2>${t('home.chart.title')}</h2>
${dailyChart({ days: data.daily, lastDay: data.counters.day, dayCount: CHART_DAYS, t, format })}
</section>
<section>
<h2>${t('home.provinces.title')}</h2>
${provinceBars(ctx, data.provinces, format)}
</section>
<section>
<h2>${t('home.latest')}</h2>
${data.latest.length === 0 ? html`<p class="muted">${t('home.latest.none')}</p>` : html`<ol class="statements">${data.latest.map((s) => statementItem(ctx, s, format))}</ol>`}
${feedLinks(ctx, data.counters.day)}
</section>`;
  return layout(ctx, 'home', { title: t('home.title'), body, scripts: [ctx.assets.homeJs] });
}
