import { lazy, type SyntheticEvent, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { RecoveryCodes } from '../account/RecoveryCodes';
import { ErrorText } from './ErrorText';

// Drawn once per account, at enrolment: loaded then, not with the workspace.
const TotpQr = lazy(() => import('../account/TotpQr').then((m) => ({ default: m.TotpQr })));

type Step =
  { kind: 'password' } | { kind: 'enroll'; secret: string; uri: string } | { kind: 'verify' } | { kind: 'recovery'; codes: string[] };

/** Sign-in: password, then the authenticator code (enrolling one at the first sign-in). */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (event: SyntheticEvent, work: () => Promise<void>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (step.kind === 'password') {
    return (
      <form
        className="card narrow"
        onSubmit={(event) =>
          void run(event, async () => {
            const { next } = await api<{ next: 'enroll' | 'verify' }>('POST', '/api/auth/login', { username, password });
            setPassword('');
            if (next === 'verify') {
              setStep({ kind: 'verify' });
              return;
            }
            const enrollment = await api<{ secret: string; otpauthUri: string }>('POST', '/api/auth/enrollment');
            setStep({ kind: 'enroll', secret: enrollment.secret, uri: enrollment.otpauthUri });
          })
        }
      >
        <h1>{t('auth.signIn')}</h1>
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
          />
        </label>
        <label>
          {t('auth.password')}
          <input
            required
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
            }}
          />
        </label>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('auth.continue')}
        </button>
      </form>
    );
  }
  if (step.kind === 'recovery') {
    return (
      <section className="card narrow">
        <h1>{t('auth.recoveryTitle')}</h1>
        <p>{t('auth.recoveryIntro')}</p>
        <RecoveryCodes codes={step.codes} username={username} />
        <button type="button" className="primary" autoFocus onClick={onSignedIn}>
          {t('auth.savedCodes')}
        </button>
      </section>
    );
  }
  const enrolling = step.kind === 'enroll';
  return (
    <form
      key={step.kind}
      className="card narrow"
      onSubmit={(event) =>
        void run(event, async () => {
          if (enrolling) {
            const { recoveryCodes } = await api<{ recoveryCodes: string[] }>('POST', '/api/auth/enrollment/confirm', { code });
            setStep({ kind: 'recovery', codes: recoveryCodes });
          } else {
            await api(
              'POST',
              '/api/auth/second-factor',
              /^\d{6}$/.test(code.trim()) ? { code: code.trim() } : { recoveryCode: code.trim() },
            );
            onSignedIn();
          }
        })
      }
    >
      <h1>{enrolling ? t('auth.enrollTitle') : t('auth.verifyTitle')}</h1>
      {enrolling && (
        <>
          <p>{t('auth.enrollIntro')}</p>
          <Suspense fallback={null}>
            <TotpQr uri={step.uri} label={t('auth.qrLabel')} />
          </Suspense>
          <p>
            {t('auth.secret')}:{' '}
            <code data-testid="totp-secret" className="secret">
              {step.secret}
            </code>
          </p>
          <details>
            <summary>{t('auth.otpauthUri')}</summary>
            <code className="wrap">{step.uri}</code>
          </details>
        </>
      )}
      <label>
        {enrolling ? t('auth.code') : t('auth.codeOrRecovery')}
        <input
          autoFocus
          required
          autoComplete="one-time-code"
          inputMode={enrolling ? 'numeric' : 'text'}
          maxLength={32}
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
          }}
        />
      </label>
      <ErrorText error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('auth.verify')}
      </button>
    </form>
  );
}
