import { type SyntheticEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../api';
import { LocaleSelect } from '../LocaleSelect';
import { SpokenLanguages } from '../operations/SpokenLanguages';
import { ErrorText } from '../pages/ErrorText';
import { Passkeys } from './Passkeys';

interface Session {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

/** Your own account: password, languages, the places you are signed in, and signing out everywhere. */
export function Account(props: { me: Me; onSignedOut: () => void }) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [languages, setLanguages] = useState<string[] | null>(null);
  const takesCalls = props.me.user.role !== 'auditor';
  const loadSessions = () => {
    api<{ sessions: Session[] }>('GET', '/api/sessions')
      .then((result) => {
        setSessions(result.sessions);
      })
      .catch(setError);
  };
  useEffect(() => {
    loadSessions();
    if (takesCalls)
      api<{ languages: string[] }>('GET', '/api/operations/presence/me')
        .then((mine) => {
          setLanguages(mine.languages);
        })
        .catch(setError);
  }, [takesCalls]);
  const time = (ms: number) => new Date(ms).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const signOutSession = (id: string) => {
    setError(null);
    api('DELETE', `/api/sessions/${id}`).then(loadSessions).catch(setError);
  };
  const signOutEverywhere = () => {
    if (!window.confirm(t('account.everywhereConfirm'))) return;
    api('POST', '/api/auth/logout-all')
      .then(() => {
        props.onSignedOut();
      })
      .catch(setError);
  };
  return (
    <section className="card wide account">
      <h1>{t('account.title')}</h1>
      <p>
        {props.me.user.displayName} · {props.me.user.username} · {t(`role.${props.me.user.role}`)}
      </p>
      <ErrorText error={error} />
      <PasswordForm />
      <Passkeys />
      <h2>{t('account.languages')}</h2>
      <label>
        {t('account.consoleLanguage')}
        <LocaleSelect />
      </label>
      {takesCalls && languages !== null && <SpokenLanguages languages={languages} onSaved={setLanguages} onError={setError} />}
      <h2>{t('account.sessions')}</h2>
      <p className="muted small">{t('account.sessionsHelp')}</p>
      {sessions === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="list" data-testid="my-sessions">
            <thead>
              <tr>
                <th scope="col">{t('account.signedInAt')}</th>
                <th scope="col">{t('account.lastSeen')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('account.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id}>
                  <td>{time(session.createdAt)}</td>
                  <td>{time(session.lastSeenAt)}</td>
                  <td>
                    {session.current ? (
                      <strong>{t('account.thisSession')}</strong>
                    ) : (
                      <button
                        type="button"
                        onClick={() => {
                          signOutSession(session.id);
                        }}
                      >
                        {t('account.signOutSession')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <button type="button" className="danger" onClick={signOutEverywhere} data-testid="sign-out-everywhere">
          {t('account.signOutEverywhere')}
        </button>
      </p>
    </section>
  );
}

/** Changing your password: the current one, the new one twice. Your other sessions end. */
function PasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    setNotice('');
    setMismatch(next !== repeat);
    if (next !== repeat) return;
    api<{ revoked: number }>('POST', '/api/auth/password', { current, next })
      .then((result) => {
        setCurrent('');
        setNext('');
        setRepeat('');
        setNotice(t('account.passwordChanged', { n: result.revoked }));
      })
      .catch(setError);
  };
  return (
    <form onSubmit={submit} className="stack" data-testid="password-form">
      <h2>{t('account.password')}</h2>
      <label>
        {t('account.currentPassword')}
        <input type="password" required autoComplete="current-password" value={current} onChange={(e) => { setCurrent(e.target.value); }} />
      </label>
      <label>
        {t('account.newPassword')}
        <input type="password" required minLength={12} autoComplete="new-password" value={next} onChange={(e) => { setNext(e.target.value); }} />
      </label>
      <label>
        {t('account.repeatPassword')}
        <input type="password" required minLength={12} autoComplete="new-password" value={repeat} onChange={(e) => { setRepeat(e.target.value); }} />
      </label>
      <p className="muted small">{t('account.passwordHelp')}</p>
      {mismatch && (
        <p className="error" role="alert">
          {t('account.passwordsDiffer')}
        </p>
      )}
      <ErrorText error={error} />
      {notice && <p role="status">{notice}</p>}
      <button type="submit" className="primary">
        {t('account.changePassword')}
      </button>
    </form>
  );
}
