import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_OUTCOMES, CHANNELS } from '../../../../src/shared/schemas/values';
import type { Dashboard } from '../../../../src/domain/reports/dashboard';
import { api } from '../api';
import { ErrorText } from '../pages/ErrorText';
import type { Province } from '../pages/CohortsField';
import { Chart, type ChartSeries } from './Chart';
import { ChinaMap } from './ChinaMap';
import { DataTable } from './DataTable';
import './reports.css';

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

const CHINA_ZONE = 'Asia/Shanghai';
const COLORS = ['#b42828', '#d9822b', '#2b6cb0', '#2f855a', '#6b46c1', '#b7791f', '#319795', '#718096', '#c53030', '#4a5568'];

/** Today in a zone, as YYYY-MM-DD. */
function todayIn(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
}

/** The day `days` before `day`. */
function daysBefore(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

type Preset = 'today' | '7' | '30' | 'custom';

/** The outcomes some call in the period had: the table's columns (all ten would not fit a laptop). */
function outcomesIn(data: Dashboard): string[] {
  return CALL_OUTCOMES.filter((o) => data.callDays.some((d) => (d.outcomes[o] ?? 0) > 0));
}

/**
 * The coordinators' dashboard: statements by day, organization, channel and province (a map with
 * its table), calls by outcome, direction and hour, and campaign conversion, over a period in China
 * time or the viewer's own. Every chart has its table; every table exports the CSV it shows.
 */
export function DashboardPage() {
  const { t, i18n } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [zone, setZone] = useState(CHINA_ZONE);
  const [preset, setPreset] = useState<Preset>('7');
  const [custom, setCustom] = useState({ from: daysBefore(todayIn(CHINA_ZONE), 6), to: todayIn(CHINA_ZONE) });
  const [data, setData] = useState<Dashboard | null>(null);
  const [provinces, setProvinces] = useState<Province[]>([]);
  const [error, setError] = useState<unknown>(null);

  const period = useMemo(() => {
    const today = todayIn(zone);
    if (preset === 'today') return { from: today, to: today };
    if (preset === '7') return { from: daysBefore(today, 6), to: today };
    if (preset === '30') return { from: daysBefore(today, 29), to: today };
    return custom;
  }, [preset, custom, zone]);

  useEffect(() => {
    api<{ provinces: Province[] }>('GET', '/api/regions/provinces')
      .then((result) => {
        setProvinces(result.provinces);
      })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    let current = true;
    const query = new URLSearchParams({ from: period.from, to: period.to, zone });
    api<Dashboard>('GET', `/api/reports/dashboard?${query.toString()}`)
      .then((result) => {
        if (current) {
          setData(result);
          setError(null);
        }
      })
      .catch((caught: unknown) => {
        if (current) setError(caught);
      });
    return () => {
      current = false;
    };
  }, [period, zone]);

  const language = i18n.language as 'en' | 'zh-Hans' | 'zh-Hant';
  const provinceName = useMemo(() => {
    const names: Record<string, string> = { abroad: t('abroad'), unknown: t('unknown') };
    for (const province of provinces) names[province.code] = province.name[language];
    return names;
  }, [provinces, language, t]);
  const number = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);
  const orgLabels = { people: t('people'), party: tc('org.party'), league: tc('org.league'), pioneers: tc('org.pioneers') };
  const channelLabel = (channel: string) => tc(`moderation.channel.${channel}`, { defaultValue: channel });
  const zoneLabel = zone === CHINA_ZONE ? t('chinaTime') : t('yourTime', { zone });
  const file = (name: string) => `${name}-${period.from}-${period.to}.csv`;
  const hourFormat = useMemo(() => new Intl.DateTimeFormat(i18n.language, { timeZone: zone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }), [i18n.language, zone]);
  const hourLabel = (at: number) => hourFormat.format(at);

  const charts = useMemo(() => {
    if (!data) return null;
    const days = data.statementDays.map((d) => d.day.slice(5));
    const usedChannels = CHANNELS.filter((c) => data.statementDays.some((d) => (d.channels[c] ?? 0) > 0));
    return {
      days,
      byOrg: (['party', 'league', 'pioneers'] as const).map((org, i): ChartSeries => ({ label: orgLabels[org], values: data.statementDays.map((d) => d[org]), color: COLORS[i] ?? '#000' })),
      byChannel: usedChannels.map((c, i): ChartSeries => ({ label: channelLabel(c), values: data.statementDays.map((d) => d.channels[c] ?? 0), color: COLORS[i] ?? '#000' })),
      callDays: data.callDays.map((d) => d.day.slice(5)),
      byOutcome: outcomesIn(data).map((o, i): ChartSeries => ({ label: tc(`outcome.${o}`), values: data.callDays.map((d) => d.outcomes[o] ?? 0), color: COLORS[i] ?? '#000' })),
      hours: data.callHours.map((h) => String(h.hour).padStart(2, '0')),
      byHour: [
        { label: t('calls'), values: data.callHours.map((h) => h.calls), color: COLORS[2] ?? '#000' },
        { label: t('answered'), values: data.callHours.map((h) => h.answered), color: COLORS[3] ?? '#000' },
      ] satisfies ChartSeries[],
    };
  }, [data, t]);

  return (
    <section className="card wide dashboard">
      <h1>{t('dashboard')}</h1>
      <div className="row wrap filters" role="group" aria-label={t('period')}>
        {(['today', '7', '30', 'custom'] as const).map((p) => (
          <button key={p} type="button" className={preset === p ? 'primary' : 'secondary'} aria-pressed={preset === p} onClick={() => { setPreset(p); }}>
            {t(`preset.${p}`)}
          </button>
        ))}
        {preset === 'custom' && (
          <>
            <label>
              {t('from')}
              <input id="dash-from" type="date" value={custom.from} max={custom.to} onChange={(e) => { setCustom({ ...custom, from: e.target.value }); }} />
            </label>
            <label>
              {t('to')}
              <input id="dash-to" type="date" value={custom.to} min={custom.from} onChange={(e) => { setCustom({ ...custom, to: e.target.value }); }} />
            </label>
          </>
        )}
        <label>
          {t('zone')}
          <select id="dash-zone" value={zone} onChange={(e) => { setZone(e.target.value); }}>
            <option value={CHINA_ZONE}>{t('chinaTime')}</option>
            {ownZone !== CHINA_ZONE && <option value={ownZone}>{t('yourTime', { zone: ownZone })}</option>}
          </select>
        </label>
      </div>
      <p className="muted" data-testid="period-label">
        {t('periodLabel', { from: period.from, to: period.to, zone: zoneLabel })}
      </p>
      <ErrorText error={error} />
      {data && charts && (
        <>
          <p className="totals" data-testid="dashboard-totals">
            {t('totals', { people: number.format(data.totals.people), party: number.format(data.totals.party), league: number.format(data.totals.league), pioneers: number.format(data.totals.pioneers) })}
          </p>

          <h2>{t('statementsByDay')}</h2>
          <p className="muted small">{t('chinaDaysNote')}</p>
          <Chart title={t('statementsByDay')} xLabel={t('day')} labels={charts.days} series={charts.byOrg} kind="lines" />
          <DataTable
            id="statement-days"
            caption={t('statementsByDay')}
            fileName={file('statements-by-day')}
            header={[t('day'), orgLabels.people, orgLabels.party, orgLabels.league, orgLabels.pioneers]}
            rows={data.statementDays.map((d) => [d.day, d.people, d.party, d.league, d.pioneers])}
          />

          <h2>{t('statementsByChannel')}</h2>
          <Chart title={t('statementsByChannel')} xLabel={t('day')} labels={charts.days} series={charts.byChannel} />
          <DataTable
            id="statement-channels"
            caption={t('statementsByChannel')}
            fileName={file('statements-by-channel')}
            header={[t('day'), ...CHANNELS.map(channelLabel)]}
            rows={data.statementDays.map((d) => [d.day, ...CHANNELS.map((c) => d.channels[c] ?? 0)])}
          />

          <h2>{t('byProvince')}</h2>
          <div className="map-and-table">
            <ChinaMap
              values={Object.fromEntries(data.provinces.map((p) => [p.code, p.people]))}
              names={provinceName}
              label={t('byProvince')}
              attribution={t('mapAttribution')}
            />
            <DataTable
              id="provinces"
              caption={t('byProvince')}
              fileName={file('statements-by-province')}
              header={[t('province'), t('code'), orgLabels.people, orgLabels.party, orgLabels.league, orgLabels.pioneers]}
              rows={data.provinces.map((p) => [provinceName[p.code] ?? p.code, p.code, p.people, p.party, p.league, p.pioneers])}
            />
          </div>

          <h2>{t('callsByDay')}</h2>
          <p className="muted small">{t('daysIn', { zone: zoneLabel })}</p>
          <Chart title={t('callsByDay')} xLabel={t('day')} labels={charts.callDays} series={charts.byOutcome} />
          <DataTable
            id="call-days"
            caption={t('callsByDay')}
            fileName={file('calls-by-day')}
            header={[t('day'), t('calls'), t('outbound'), t('inbound'), t('answered'), t('talkMinutes'), orgLabels.people, ...outcomesIn(data).map((o) => tc(`outcome.${o}`))]}
            rows={data.callDays.map((d) => [d.day, d.calls, d.outbound, d.inbound, d.answered, d.talkMinutes, d.people, ...outcomesIn(data).map((o) => d.outcomes[o] ?? 0)])}
          />

          <h2>{t('callsByHour')}</h2>
          <Chart title={t('callsByHour')} xLabel={t('hour')} labels={charts.hours} series={charts.byHour} kind="lines" />
          <DataTable
            id="call-hours"
            caption={t('callsByHour')}
            fileName={file('calls-by-hour')}
            header={[t('hour'), t('calls'), t('answered')]}
            rows={data.callHours.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.calls, h.answered])}
          />

          <h2>{t('queue')}</h2>
          <p className="muted small">{t('queueNote', { seconds: data.serviceLevelSeconds })}</p>
          <Chart
            title={t('queue')}
            xLabel={t('day')}
            labels={charts.callDays}
            series={[
              { label: t('answered'), values: data.queueDays.map((d) => d.answered), color: COLORS[3] ?? '#000' },
              { label: t('abandoned'), values: data.queueDays.map((d) => d.abandoned), color: COLORS[0] ?? '#000' },
              { label: t('callbacks'), values: data.queueDays.map((d) => d.callbacks), color: COLORS[1] ?? '#000' },
            ]}
          />
          {(['queue-days', 'queue-hours'] as const).map((id) => {
            const rows = id === 'queue-days' ? data.queueDays.map((d) => ({ label: d.day, ...d })) : data.queueHours.map((h) => ({ label: `${String(h.hour).padStart(2, '0')}:00`, ...h }));
            return (
              <DataTable
                key={id}
                id={id}
                caption={t('queue')}
                fileName={file(id)}
                header={[id === 'queue-days' ? t('day') : t('hour'), t('offered'), t('answered'), t('abandoned'), t('callbacks'), t('asa'), t('abandonRate'), t('serviceLevel'), t('occupancy')]}
                rows={rows.map((r) => [r.label, r.offered, r.answered, r.abandoned, r.callbacks, r.averageSpeedOfAnswerSeconds ?? '—', percent(r.abandonRate), percent(r.serviceLevel), percent(r.occupancy)])}
              />
            );
          })}

          <h2>{t('duty')}</h2>
          <Chart
            title={t('duty')}
            xLabel={t('day')}
            labels={charts.callDays}
            kind="lines"
            series={[
              { label: t('plannedHours'), values: data.dutyDays.map((d) => d.plannedHours), color: COLORS[7] ?? '#000' },
              { label: t('dutyHours'), values: data.dutyDays.map((d) => d.dutyHours), color: COLORS[2] ?? '#000' },
            ]}
          />
          <DataTable
            id="duty"
            caption={t('duty')}
            fileName={file('hours-on-duty')}
            header={[t('day'), t('plannedHours'), t('dutyHours'), t('availableHours'), t('volunteers')]}
            rows={data.dutyDays.map((d) => [d.day, d.plannedHours, d.dutyHours, d.availableHours, d.volunteers])}
          />
          <h3>{t('gaps', { count: data.coverageGapCount })}</h3>
          <DataTable
            id="gaps"
            caption={t('gaps', { count: data.coverageGapCount })}
            fileName={file('coverage-gaps')}
            header={[t('hourStarting'), t('minimum'), t('planned'), t('onDuty')]}
            rows={data.coverageGaps.map((g) => [hourLabel(g.at), g.minimum, g.planned, g.onDuty])}
          />

          <h2>{t('campaigns')}</h2>
          <DataTable
            id="campaigns"
            caption={t('campaigns')}
            fileName={file('campaign-conversion')}
            header={[t('campaign'), t('calls'), t('answered'), t('registeredCalls'), orgLabels.people, t('conversion')]}
            rows={data.campaigns.map((c) => [c.name, c.calls, c.answered, c.registered, c.people, c.conversion === null ? '—' : `${Math.round(c.conversion * 100)}%`])}
          />
        </>
      )}
    </section>
  );
}
