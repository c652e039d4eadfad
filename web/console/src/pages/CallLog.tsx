import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_OUTCOMES } from '../../../../src/shared/schemas/values';
import { api } from '../api';
import { type CallView, CallTable } from './call-view';
import { ErrorText } from './ErrorText';
import { draftStoryFrom } from '../reports/StoriesPage';
import type { Volunteer } from './Volunteers';
import type { CampaignOut } from '../../../../src/http/routes/operations/campaigns.routes';

/**
 * The start of a day picked in a date field, in the viewer's own time zone ('2026-12-01' -> local
 * midnight; `new Date('2026-12-01')` would be midnight UTC). `daysLater` 1 gives the end of that day.
 */
export function localDayStart(day: string, daysLater = 0): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + daysLater).getTime();
}

/** The log's filters as query parameters (the list and its CSV export take the same). */
function queryOf(filter: { ownerId: string; outcome: string; direction: string; campaignId: string; from: string; to: string }): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.ownerId) params.set('ownerId', filter.ownerId);
  if (filter.outcome) params.set('outcome', filter.outcome);
  if (filter.direction) params.set('direction', filter.direction);
  if (filter.campaignId) params.set('campaignId', filter.campaignId);
  const from = localDayStart(filter.from);
  const to = localDayStart(filter.to, 1);
  if (from !== undefined) params.set('from', String(from));
  if (to !== undefined) params.set('to', String(to));
  return params;
}

/** Coordinators' call log: every call, filtered by volunteer, campaign, outcome, direction and days (from and to, both included), exported as CSV. */
export function CallLog() {
  const { t } = useTranslation();
  const { t: tOps } = useTranslation('operations');
  const { t: tReports } = useTranslation('reports');
  const [selected, setSelected] = useState<string[]>([]);
  const [calls, setCalls] = useState<CallView[]>([]);
  const [users, setUsers] = useState<Volunteer[]>([]);
  const [campaigns, setCampaigns] = useState<CampaignOut[]>([]);
  const [filter, setFilter] = useState({ ownerId: '', outcome: '', direction: '', campaignId: '', from: '', to: '' });
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ users: Volunteer[] }>('GET', '/api/users')
      .then((result) => {
        setUsers(result.users);
      })
      .catch(() => undefined);
    api<{ campaigns: CampaignOut[] }>('GET', '/api/operations/campaigns')
      .then((result) => {
        setCampaigns(result.campaigns);
      })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    const params = queryOf(filter);
    // Answers can arrive out of order while filters change: only the newest one is shown.
    let isCurrent = true;
    api<{ calls: CallView[] }>('GET', `/api/calls?${params.toString()}`)
      .then((result) => {
        if (isCurrent) setCalls(result.calls);
      })
      .catch((caught: unknown) => {
        if (isCurrent) setError(caught);
      });
    return () => {
      isCurrent = false;
    };
  }, [filter]);
  const owners = Object.fromEntries(users.map((u) => [u.id, u.displayName]));
  return (
    <section className="card wide">
      <h1>{t('nav.callLog')}</h1>
      <div className="row wrap filters">
        <label>
          {t('calls.volunteer')}
          <select
            id="log-volunteer"
            value={filter.ownerId}
            onChange={(e) => {
              setFilter({ ...filter, ownerId: e.target.value });
            }}
          >
            <option value="">{t('common.all')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tOps('campaigns.title')}
          <select
            id="log-campaign"
            value={filter.campaignId}
            onChange={(e) => {
              setFilter({ ...filter, campaignId: e.target.value });
            }}
          >
            <option value="">{t('common.all')}</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('outcome.label')}
          <select
            id="log-outcome"
            value={filter.outcome}
            onChange={(e) => {
              setFilter({ ...filter, outcome: e.target.value });
            }}
          >
            <option value="">{t('common.all')}</option>
            {CALL_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('calls.direction')}
          <select
            id="log-direction"
            value={filter.direction}
            onChange={(e) => {
              setFilter({ ...filter, direction: e.target.value });
            }}
          >
            <option value="">{t('common.all')}</option>
            <option value="outbound">{t('call.direction.outbound')}</option>
            <option value="inbound">{t('call.direction.inbound')}</option>
          </select>
        </label>
        <label>
          {t('calls.from')}
          <input
            id="log-from"
            type="date"
            value={filter.from}
            onChange={(e) => {
              setFilter({ ...filter, from: e.target.value });
            }}
          />
        </label>
        <label>
          {t('calls.to')}
          <input
            id="log-to"
            type="date"
            value={filter.to}
            min={filter.from || undefined}
            onChange={(e) => {
              setFilter({ ...filter, to: e.target.value });
            }}
          />
        </label>
      </div>
      <p>
        <a className="button" href={`/api/calls/export.csv?${queryOf(filter).toString()}`} download="calls.csv" data-testid="export-csv">
          {t('calls.exportCsv')}
        </a>
      </p>
      <ErrorText error={error} />
      {selected.length > 0 && (
        <p>
          <button
            type="button"
            className="primary"
            data-testid="draft-story"
            onClick={() => {
              draftStoryFrom(selected).catch(setError);
            }}
          >
            {tReports('draftStory', { count: selected.length })}
          </button>
        </p>
      )}
      <CallTable
        calls={calls}
        owners={owners}
        renderActions={(call) => (
          <label className="row">
            <input
              type="checkbox"
              data-testid="select-call"
              checked={selected.includes(call.id)}
              onChange={(e) => {
                setSelected(e.target.checked ? [...selected, call.id] : selected.filter((id) => id !== call.id));
              }}
            />
            {tReports('selectCall')}
          </label>
        )}
      />
    </section>
  );
}
