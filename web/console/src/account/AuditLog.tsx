import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from '../pages/ErrorText';

import type { AuditEntryOut } from '../../../../src/http/routes/audit.routes';

const PAGE = 100;

/** The translation key of an audit action ('user.role-changed' -> 'audit.actions.user_role-changed'). */
const actionKey = (action: string) => `audit.actions.${action.replace(/\./g, '_')}`;

type Verification = { ok: true; rows: number } | { ok: false; rows: number; seq: number; problem: string };

/**
 * The audit log for admins and auditors: who did what and when, newest first, with the record it
 * concerns and its details; older entries on request; and a check of the whole chain (an entry
 * altered, removed or reordered shows where).
 */
export function AuditLog() {
  const { t, i18n } = useTranslation();
  const [entries, setEntries] = useState<AuditEntryOut[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [verification, setVerification] = useState<Verification | 'checking' | null>(null);
  const load = useCallback((before?: number) => {
    api<{ entries: AuditEntryOut[] }>('GET', `/api/audit?limit=${PAGE}${before === undefined ? '' : `&before=${before}`}`)
      .then((result) => {
        setEntries((earlier) => (before === undefined ? result.entries : [...(earlier ?? []), ...result.entries]));
        setHasMore(result.entries.length === PAGE);
      })
      .catch(setError);
  }, []);
  useEffect(() => {
    load();
  }, [load]);
  const verify = () => {
    setVerification('checking');
    api<Verification>('POST', '/api/audit/verify')
      .then(setVerification)
      .catch((caught: unknown) => {
        setVerification(null);
        setError(caught);
      });
  };
  const time = (ms: number) => new Date(ms).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <section className="card wide">
      <h1>{t('audit.title')}</h1>
      <p className="muted">{t('audit.intro')}</p>
      <div className="row wrap">
        <button type="button" onClick={verify} disabled={verification === 'checking'} data-testid="verify-audit">
          {t('audit.verify')}
        </button>
        {verification !== null && (
          <p role="status" data-testid="audit-verification" className={verification !== 'checking' && !verification.ok ? 'error' : undefined}>
            {verification === 'checking'
              ? t('audit.checking')
              : verification.ok
                ? t('audit.intact', { count: verification.rows })
                : t('audit.broken', { seq: verification.seq })}
          </p>
        )}
      </div>
      <ErrorText error={error} />
      {entries === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.what')}</th>
                <th scope="col">{t('audit.about')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq} data-testid="audit-entry" data-action={entry.action}>
                  <td>{time(entry.at)}</td>
                  <td>{entry.actorName ?? (entry.actorId === null ? t('audit.system') : t('audit.formerAccount'))}</td>
                  <td>{t(actionKey(entry.action), { defaultValue: t('audit.otherAction') })}</td>
                  <td>{entry.entityType === null ? '' : t(`audit.entities.${entry.entityType}`, { defaultValue: t('audit.otherEntity') })}</td>
                  <td>
                    <details className="audit-details">
                      <summary>{t('audit.show')}</summary>
                      <code>{JSON.stringify({ seq: entry.seq, action: entry.action, id: entry.entityId, ...entry.details })}</code>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && entries !== null && (
        <button
          type="button"
          onClick={() => {
            load(entries[entries.length - 1]?.seq);
          }}
        >
          {t('audit.older')}
        </button>
      )}
    </section>
  );
}
