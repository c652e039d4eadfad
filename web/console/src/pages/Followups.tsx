import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from './ErrorText';

import type { FollowupOut } from '../../../../src/http/routes/calls';

/** A day as the date input shows it, in the reader's own time zone. */
function dayInput(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * The follow-up worklist for admins: people in China who offered to help, as volunteers recorded
 * them in calls. Open ones by when they are due (overdue first); set a day to contact them, mark one
 * done once contacted. Each reading and change is audited; contacts past retention are gone.
 */
export function Followups() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<'open' | 'done'>('open');
  const [items, setItems] = useState<FollowupOut[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ followups: FollowupOut[] }>('GET', `/api/followups?state=${state}`)
      .then((result) => {
        setItems(result.followups);
      })
      .catch(setError);
  }, [state]);
  useEffect(load, [load]);
  const change = (request: Promise<unknown>) => {
    setError(null);
    request.then(load).catch(setError);
  };
  const now = Date.now();
  const date = (ms: number) => new Date(ms).toLocaleDateString(i18n.language, { dateStyle: 'medium' });
  return (
    <section className="card wide">
      <h1>{t('followups.title')}</h1>
      <p className="muted">{t('followups.intro')}</p>
      <div className="row wrap" role="group" aria-label={t('followups.title')}>
        {(['open', 'done'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={state === s ? 'primary' : undefined}
            aria-pressed={state === s}
            onClick={() => {
              setItems(null);
              setState(s);
            }}
          >
            {t(`followups.${s}`)}
          </button>
        ))}
      </div>
      <ErrorText error={error} />
      {items === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : items.length === 0 ? (
        <p className="muted">{t(state === 'open' ? 'followups.noneOpen' : 'followups.noneDone')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="followups">
            <thead>
              <tr>
                <th scope="col">{t('followups.due')}</th>
                <th scope="col">{t('followups.recorded')}</th>
                <th scope="col">{t('followups.name')}</th>
                <th scope="col">{t('followups.howToReach')}</th>
                <th scope="col">{t('followups.offered')}</th>
                <th scope="col">{t('volunteers.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const due = item.dueAt ?? item.recordedAt;
                const overdue = item.doneAt === null && due < now - 86_400_000;
                return (
                  <tr key={item.id} data-testid="followup-row">
                    <td>
                      {item.doneAt !== null ? (
                        t('followups.doneOn', { date: date(item.doneAt) })
                      ) : (
                        <label>
                          <span className={overdue ? 'error' : undefined}>{item.dueAt === null ? t('followups.asap') : overdue ? t('followups.overdue') : t('followups.contactOn')}</span>
                          <input
                            type="date"
                            value={item.dueAt === null ? '' : dayInput(item.dueAt)}
                            onChange={(e) => {
                              const value = e.target.value;
                              change(api('PUT', `/api/followups/${item.id}/due`, { dueAt: value === '' ? null : new Date(`${value}T09:00`).getTime() }));
                            }}
                          />
                        </label>
                      )}
                    </td>
                    <td>
                      {date(item.recordedAt)} · {item.recordedBy}
                    </td>
                    <td>{item.name || '—'}</td>
                    <td className="notes-cell">{item.howToReach}</td>
                    <td className="notes-cell">{item.offered || '—'}</td>
                    <td>
                      {item.doneAt === null ? (
                        <button type="button" className="small primary" onClick={() => { change(api('POST', `/api/followups/${item.id}/done`)); }}>
                          {t('followups.markDone')}
                        </button>
                      ) : (
                        <button type="button" className="small" onClick={() => { change(api('POST', `/api/followups/${item.id}/reopen`)); }}>
                          {t('followups.reopen')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
