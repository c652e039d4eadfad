import type { Locale } from '../../shared/localized-text';
import { regionName } from '../../shared/regions';
import { CHANNELS } from '../../shared/schemas/values';
import { html, type SafeHtml } from './html';
import { INTL_TAG, LOCALE_PREFIX } from './i18n';
import { layout, type PageContext, pageUrl } from './layout';
import type { PublicStoryView } from './registry-port';

/** People and memberships. */
interface Counts {
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

/** What the reports page and the monthly report show. */
export interface DailyReportView extends Counts {
  day: string;
}
export interface MonthlyReportView {
  month: string;
  days: DailyReportView[];
  totals: Counts;
  channels: (Counts & { channel: string })[];
  provinces: (Counts & { code: string })[];
  stories: PublicStoryView[];
}


/** A month's report page. */
export function monthUrl(locale: Locale, month: string): string {
  return `${LOCALE_PREFIX[locale]}/reports/${month}`;
}

function countsHeader(ctx: PageContext, first: string): SafeHtml {
  const { t } = ctx;
  return html`<thead><tr><th scope="col">${first}</th><th scope="col" class="num">${t('reports.people')}</th><th scope="col" class="num">${t('org.party')}</th><th scope="col" class="num">${t('org.league')}</th><th scope="col" class="num">${t('org.pioneers')}</th></tr></thead>`;
}

function countsRow(label: SafeHtml | string, counts: Counts, format: (n: number) => string): SafeHtml {
  return html`<tr><th scope="row">${label}</th><td class="num">${format(counts.people)}</td><td class="num">${format(counts.party)}</td><td class="num">${format(counts.league)}</td><td class="num">${format(counts.pioneers)}</td></tr>`;
}

/**
 * Reports for partners: the last days' published totals (each day with its statements as CSV, RSS
 * and JSON), the totals as CSV and a feed, and the monthly reports.
 */
export function reportsPage(ctx: PageContext, data: { days: readonly DailyReportView[]; months: readonly string[] }): SafeHtml {
  const { t, locale } = ctx;
  const format = (n: number) => new Intl.NumberFormat(INTL_TAG[locale]).format(n);
  const dayLinks = (day: string) => {
    const base = `/feeds/statements/${day}`;
    return html`<a href="${base}.csv">CSV</a> · <a href="${base}.rss?lang=${locale}">RSS</a> · <a href="${base}.json">JSON</a>`;
  };
  const rows = [...data.days].reverse();
  const body = html`<h1>${t('reports.title')}</h1>
<p>${t('reports.intro')}</p>
<p class="feeds">${t('reports.totalsAs')} <a href="/feeds/daily.csv">CSV</a> · <a href="/feeds/daily.rss?lang=${locale}" type="application/rss+xml">RSS</a></p>
<h2>${t('reports.daily')}</h2>
<div class="table-scroll"><table class="figures" data-report="daily">
${countsHeader(ctx, t('reports.day'))}
<tbody>${rows.map(
    (d) =>
      html`<tr><th scope="row">${d.day}<br><small aria-label="${t('reports.statements')}">${dayLinks(d.day)}</small></th><td class="num">${format(d.people)}</td><td class="num">${format(d.party)}</td><td class="num">${format(d.league)}</td><td class="num">${format(d.pioneers)}</td></tr>`,
  )}</tbody></table></div>
<h2>${t('reports.monthly')}</h2>
<ul class="months">${data.months.map((month) => html`<li><a href="${monthUrl(locale, month)}">${t('reports.monthTitle', { month })}</a></li>`)}</ul>`;
  return layout(ctx, 'reports', { title: t('reports.title'), body, feed: { href: `/feeds/daily.rss?lang=${locale}`, title: t('reports.title') } });
}

/** A month's report, laid out to print: totals by organization, channel and province, the days, the stories. */
export function monthlyReportPage(ctx: PageContext, report: MonthlyReportView): SafeHtml {
  const { t, locale } = ctx;
  const format = (n: number) => new Intl.NumberFormat(INTL_TAG[locale]).format(n);
  const usedChannels = CHANNELS.filter((channel) => report.channels.some((c) => c.channel === channel));
  const body = html`<article class="report">
<h1>${t('reports.monthTitle', { month: report.month })}</h1>
<p class="lead" data-report="total">${t('reports.monthTotal', { people: format(report.totals.people), party: format(report.totals.party), league: format(report.totals.league), pioneers: format(report.totals.pioneers) })}</p>
<p class="muted">${t('reports.chinaDays')}</p>
<h2>${t('reports.byChannel')}</h2>
<table class="figures" data-report="channels">${countsHeader(ctx, t('reports.channel'))}<tbody>${usedChannels.map((channel) =>
    countsRow(t(`channel.${channel}`), report.channels.find((c) => c.channel === channel) as Counts, format),
  )}</tbody></table>
<h2>${t('reports.byProvince')}</h2>
<table class="figures" data-report="provinces">${countsHeader(ctx, t('reports.province'))}<tbody>${report.provinces.map((p) => countsRow(regionName(p.code, locale) ?? p.code, p, format))}</tbody></table>
<h2>${t('reports.daily')}</h2>
<table class="figures" data-report="days">${countsHeader(ctx, t('reports.day'))}<tbody>${report.days.map((d) => countsRow(d.day, d, format))}</tbody></table>
<h2>${t('reports.storiesOfMonth')}</h2>
${report.stories.length === 0 ? html`<p class="muted">${t('stories.empty')}</p>` : html`<ul>${report.stories.map((story) => html`<li><a href="${LOCALE_PREFIX[locale]}/stories/${story.id}">${story.content[locale].title}</a></li>`)}</ul>`}
<p class="no-print"><a href="${pageUrl('reports', locale)}">${t('reports.title')}</a></p>
</article>`;
  return layout(ctx, 'reports', { title: t('reports.monthTitle', { month: report.month }), body });
}
