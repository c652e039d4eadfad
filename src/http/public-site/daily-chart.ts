import { html, type SafeHtml } from './html';
import { type Translate } from './i18n';
import type { DailyCountView } from './registry-port';

const WIDTH = 900;
const HEIGHT = 200;
const TOP = 8;
const BOTTOM = 4;

/** The `count` days ending with `lastDay` (YYYY-MM-DD), oldest first. */
export function daysEndingOn(lastDay: string, count: number): string[] {
  const end = Date.parse(`${lastDay}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Gridlines of the scale: the top of the chart is `SCALE_STEPS` round steps. */
const SCALE_STEPS = 4;

/** The smallest round step (1, 2 or 5 times a power of ten) of which `steps` reach `max`. */
export function roundStep(max: number, steps = SCALE_STEPS): number {
  if (max <= 0) return 1;
  const raw = max / steps;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw) ?? 10 * power;
  return Math.max(1, step);
}

/**
 * The daily chart as inline SVG, drawn on the server: it costs the page no script and shows
 * without JavaScript. Days without statements are drawn as empty slots so gaps are visible.
 */
export function dailyChart(options: { days: readonly DailyCountView[]; lastDay: string; dayCount: number; t: Translate; format: (n: number) => string }): SafeHtml {
  const { t, format } = options;
  const byDay = new Map(options.days.map((d) => [d.day, d.people]));
  const days = daysEndingOn(options.lastDay, options.dayCount).map((day) => ({ day, people: byDay.get(day) ?? 0 }));
  const max = Math.max(0, ...days.map((d) => d.people));
  // The scale: round numbers beside the chart (in HTML, readable at any width), gridlines in it.
  const step = roundStep(max);
  const top = step * SCALE_STEPS;
  const total = days.reduce((sum, d) => sum + d.people, 0);
  const first = days[0]?.day ?? options.lastDay;
  const summary = max === 0 ? t('home.chart.none') : t('home.chart.summary', { from: first, to: options.lastDay, total: format(total), max: format(max) });
  const slot = WIDTH / days.length;
  const plot = HEIGHT - TOP - BOTTOM;
  const bars = days.map((d, i) => {
    if (d.people === 0) return '';
    const h = max === 0 ? 0 : Math.max(d.people > 0 ? 1 : 0, Math.round((d.people / top) * plot));
    const x = (i * slot + 1).toFixed(1);
    return html`<rect x="${x}" y="${TOP + plot - h}" width="${(slot - 2).toFixed(1)}" height="${h}"><title>${d.day}: ${format(d.people)}</title></rect>`;
  });
  const grid = Array.from({ length: SCALE_STEPS }, (_, i) => {
    const y = (TOP + (plot * i) / SCALE_STEPS + 0.5).toFixed(1);
    return html`<line class="grid" x1="0" y1="${y}" x2="${WIDTH}" y2="${y}"/>`;
  });
  const scale = Array.from({ length: SCALE_STEPS + 1 }, (_, i) => html`<span>${format(step * (SCALE_STEPS - i))}</span>`);
  return html`<figure class="chart">
<div class="chart-body">
<div class="chart-scale" aria-hidden="true">${scale}</div>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${summary}">
<g class="gridlines">${grid}</g>
<line class="axis" x1="0" y1="${TOP + plot + 0.5}" x2="${WIDTH}" y2="${TOP + plot + 0.5}"/>
<g class="bars">${bars}</g>
</svg>
</div>
<div class="chart-axis" aria-hidden="true"><span>${first}</span><span>${options.lastDay}</span></div>
<figcaption>${summary}</figcaption>
</figure>`;
}
