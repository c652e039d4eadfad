import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CallOutcome } from '../../../../src/shared/schemas/calls';
import { api } from '../api';
import { type CallView, CallTable } from './call-view';
import { ErrorText } from './ErrorText';
import type { Volunteer } from './Volunteers';

/** Coordinators' call log: every call, filtered by volunteer, outcome, direction and date. */
export function CallLog() {
  const { t } = useTranslation();
  const [calls, setCalls] = useState<CallView[]>([]);
  const [users, setUsers] = useState<Volunteer[]>([]);
  const [filter, setFilter] = useState({ ownerId: '', outcome: '', direction: '', from: '' });
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ users: Volunteer[] }>('GET', '/api/users')
      .then((result) => {
        setUsers(result.users);
      })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    const params = new URLSearchParams();
    if (filter.ownerId) params.set('ownerId', filter.ownerId);
    if (filter.outcome) params.set('outcome', filter.outcome);
    if (filter.direction) params.set('direction', filter.direction);
    if (filter.from) params.set('from', String(new Date(filter.from).getTime()));
    api<{ calls: CallView[] }>('GET', `/api/calls?${params.toString()}`)
      .then((result) => {
        setCalls(result.calls);
      })
      .catch(setError);
  }, [filter]);
  const owners = Object.fromEntries(users.map((u) => [u.id, u.displayName]));
  return (
    <section className="card wide">
      <h1>{t('nav.callLog')}</h1>
      <div className="row wrap filters">
        <label>
          {t('calls.volunteer')}
          <select
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
          {t('outcome.label')}
          <select
            value={filter.outcome}
            onChange={(e) => {
              setFilter({ ...filter, outcome: e.target.value });
            }}
          >
            <option value="">{t('common.all')}</option>
            {CallOutcome.options.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('calls.direction')}
          <select
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
            type="date"
            value={filter.from}
            onChange={(e) => {
              setFilter({ ...filter, from: e.target.value });
            }}
          />
        </label>
      </div>
      <ErrorText error={error} />
      <CallTable calls={calls} owners={owners} />
    </section>
  );
}
