import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { OpsErrorText } from './OpsErrorText';

interface Entry {
  id: string;
  maskedNumber: string;
  reason: string | null;
  addedAt: number;
  addedBy: { id: string; displayName: string } | null;
}

/**
 * The organization-wide do-not-call list: add a number (with a reason), find a number's entry, see
 * every entry with its number masked, when and by whom it was added, and remove one (confirmed).
 */
export function DoNotCallSection() {
  const { t, i18n } = useTranslation('operations');
  const [entries, setEntries] = useState<Entry[]>([]);
  const [total, setTotal] = useState(0);
  const [number, setNumber] = useState('');
  const [reason, setReason] = useState('');
  const [search, setSearch] = useState('');
  const [isFiltered, setFiltered] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const show = (result: { entries: Entry[]; total: number }) => {
    setEntries(result.entries);
    setTotal(result.total);
  };
  const load = useCallback(() => {
    api<{ entries: Entry[]; total: number }>('GET', '/api/operations/do-not-call')
      .then((result) => {
        setEntries(result.entries);
        setTotal(result.total);
        setFiltered(false);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const add = (event: React.SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    api<{ id: string; added: boolean }>('POST', '/api/operations/do-not-call', { number, ...(reason.trim() ? { reason: reason.trim() } : {}) })
      .then((result) => {
        setNotice(t(result.added ? 'doNotCall.added' : 'doNotCall.already'));
        setNumber('');
        setReason('');
        load();
      })
      .catch(setError);
  };
  const find = (event: React.SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    // A POST: the number must not appear in a URL.
    api<{ entries: Entry[]; total: number }>('POST', '/api/operations/do-not-call/search', { number: search })
      .then((result) => {
        show(result);
        setFiltered(true);
        setNotice(result.entries.length === 0 ? t('doNotCall.notListed') : '');
      })
      .catch(setError);
  };
  const remove = (entry: Entry) => {
    if (!window.confirm(t('doNotCall.removeConfirm', { number: entry.maskedNumber }))) return;
    setError(null);
    api('DELETE', `/api/operations/do-not-call/${encodeURIComponent(entry.id)}`)
      .then(() => {
        setNotice(t('doNotCall.removed', { number: entry.maskedNumber }));
        load();
      })
      .catch(setError);
  };
  return (
    <section aria-labelledby="dnc-title" data-testid="do-not-call">
      <h2 id="dnc-title">{t('lists.doNotCall')}</h2>
      <p className="muted small">{t('doNotCall.help', { count: total })}</p>
      <OpsErrorText error={error} />
      {notice && <p role="status">{notice}</p>}
      <form className="row wrap" onSubmit={add}>
        <label>
          {t('lists.addNumber')}
          <input value={number} maxLength={40} autoComplete="off" required onChange={(event) => { setNumber(event.target.value); }} />
        </label>
        <label>
          {t('doNotCall.reason')}
          <input value={reason} maxLength={200} onChange={(event) => { setReason(event.target.value); }} />
        </label>
        <button type="submit" disabled={!number.trim()}>
          {t('lists.add')}
        </button>
      </form>
      <form className="row wrap" onSubmit={find}>
        <label>
          {t('doNotCall.find')}
          <input value={search} maxLength={40} autoComplete="off" onChange={(event) => { setSearch(event.target.value); }} />
        </label>
        <button type="submit" disabled={!search.trim()}>
          {t('doNotCall.findButton')}
        </button>
        {isFiltered && (
          <button type="button" onClick={() => { setSearch(''); setNotice(''); load(); }}>
            {t('doNotCall.showAll')}
          </button>
        )}
      </form>
      {entries.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('doNotCall.number')}</th>
              <th scope="col">{t('doNotCall.reasonColumn')}</th>
              <th scope="col">{t('doNotCall.addedAt')}</th>
              <th scope="col">{t('doNotCall.addedBy')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <code>{entry.maskedNumber}</code>
                </td>
                <td>{entry.reason ?? ''}</td>
                <td>{new Date(entry.addedAt).toLocaleString(i18n.language)}</td>
                <td>{entry.addedBy?.displayName ?? t('doNotCall.byOperator')}</td>
                <td>
                  <button type="button" className="small" onClick={() => { remove(entry); }}>
                    {t('doNotCall.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!isFiltered && total > entries.length && <p className="muted small">{t('doNotCall.newestShown', { count: entries.length, total })}</p>}
    </section>
  );
}
