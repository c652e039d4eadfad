import { describe, expect, it } from 'vitest';
import { dailyChart, roundStep } from './daily-chart';
import { translator } from './i18n';

describe('the daily chart’s scale', () => {
  it('takes round steps whose four reach the highest day', () => {
    expect([0, 1, 4, 5, 19, 40, 41, 99, 1234, 25_000].map((max) => roundStep(max))).toEqual([1, 1, 1, 2, 5, 10, 20, 50, 500, 10_000]);
  });

  it('labels the scale in round numbers beside the chart and draws bars against its top', () => {
    const chart = dailyChart({
      days: [{ day: '2026-11-25', people: 19, party: 8, league: 11, pioneers: 11 }],
      lastDay: '2026-11-25',
      dayCount: 2,
      t: translator('en'),
      format: (n) => n.toLocaleString('en'),
    }).value;
    expect(chart).toContain('<div class="chart-scale" aria-hidden="true"><span>20</span><span>15</span><span>10</span><span>5</span><span>0</span></div>');
    // 19 of 20 on a plot 188 units high.
    expect(chart).toMatch(/<rect x="[\d.]+" y="17" width="[\d.]+" height="179">/);
  });
});
