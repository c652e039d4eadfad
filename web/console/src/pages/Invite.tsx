import { type SyntheticEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { navigate } from '../hash-route';
import { ErrorText } from './ErrorText';

/** Accepting an invitation: choose a username, a name and a password, then sign in. */
export function Invite({ token }: { token: string }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/invitations/accept', { token, username, displayName, password });
      navigate('/');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={(event) => void submit(event)}>
      <h1>{t('invite.title')}</h1>
      <p className="muted">{t('invite.intro')}</p>
      <label>
        {t('auth.username')}
        <input
          autoFocus
          required
          autoComplete="username"
          value={username}
          onChange={(e) => {
            setUsername(e.target.value);
          }}
          pattern="[a-z0-9._\-]{3,32}"
        />
      </label>
      <label>
        {t('invite.displayName')}
        <input
          required
          value={displayName}
          maxLength={80}
          onChange={(e) => {
            setDisplayName(e.target.value);
          }}
        />
      </label>
      <label>
        {t('auth.password')}
        <input
          required
          type="password"
          autoComplete="new-password"
          minLength={12}
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
          }}
        />
        <small className="muted">{t('invite.passwordHint')}</small>
      </label>
      <ErrorText error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('invite.submit')}
      </button>
    </form>
  );
}
