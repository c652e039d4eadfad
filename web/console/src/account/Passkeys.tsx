import { type SyntheticEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from '../pages/ErrorText';
import { addPasskey } from './passkeys';

interface Passkey {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  synced: boolean;
}

/** Your passkeys on the account page: the list, adding one, removing one. */
export function Passkeys() {
  const { t, i18n } = useTranslation();
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [required, setRequired] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const load = () => {
    api<{ passkeys: Passkey[]; required: boolean }>('GET', '/api/auth/passkeys')
      .then((result) => {
        setPasskeys(result.passkeys);
        setRequired(result.required);
      })
      .catch(setError);
  };
  useEffect(load, []);
  const time = (ms: number | null) => (ms === null ? '–' : new Date(ms).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }));
  const add = (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice('');
    addPasskey(name.trim() || t('passkeys.defaultName'))
      .then(() => {
        setName('');
        setNotice(t('passkeys.added'));
        load();
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  const remove = (passkey: Passkey) => {
    if (!window.confirm(t('passkeys.removeConfirm', { name: passkey.name }))) return;
    setError(null);
    setNotice('');
    api('DELETE', `/api/auth/passkeys/${encodeURIComponent(passkey.id)}`).then(load).catch(setError);
  };
  return (
    <>
      <h2>{t('passkeys.title')}</h2>
      <p className="muted small">{required ? t('passkeys.requiredHelp') : t('passkeys.help')}</p>
      {passkeys === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : passkeys.length === 0 ? (
        <p className="muted">{t('passkeys.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="list" data-testid="my-passkeys">
            <thead>
              <tr>
                <th scope="col">{t('passkeys.name')}</th>
                <th scope="col">{t('passkeys.addedAt')}</th>
                <th scope="col">{t('passkeys.lastUsed')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('account.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {passkeys.map((passkey) => (
                <tr key={passkey.id}>
                  <td>
                    {passkey.name}
                    {passkey.synced && <span className="muted small"> · {t('passkeys.synced')}</span>}
                  </td>
                  <td>{time(passkey.createdAt)}</td>
                  <td>{time(passkey.lastUsedAt)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => {
                        remove(passkey);
                      }}
                    >
                      {t('passkeys.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="row wrap" onSubmit={add}>
        <label>
          {t('passkeys.name')}
          <input
            maxLength={60}
            value={name}
            placeholder={t('passkeys.defaultName')}
            onChange={(e) => {
              setName(e.target.value);
            }}
          />
        </label>
        <button type="submit" disabled={busy} data-testid="account-add-passkey">
          {t('passkeys.add')}
        </button>
      </form>
      {notice && <p role="status">{notice}</p>}
      <ErrorText error={error} />
    </>
  );
}
