import { lazy, type SyntheticEvent, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { RecoveryCodes } from '../account/RecoveryCodes';
import { addPasskey, signInWithPasskey } from '../account/passkeys';
import { ErrorText } from './ErrorText';

// Drawn once per account, at enrolment: loaded then, not with the workspace.
const TotpQr = lazy(() => import('../account/TotpQr').then((m) => ({ default: m.TotpQr })));

type Method = 'passkey' | 'totp' | 'recovery-code';
type Step =
  | { kind: 'password' }
  | { kind: 'enroll'; secret: string; uri: string }
  | { kind: 'enroll-passkey' }
  | { kind: 'verify'; methods: Method[] }
  | { kind: 'recovery'; codes: string[]; then?: 'enroll-passkey' };

/**
 * Sign-in: password, then a second factor: a passkey or the authenticator code (enrolling one at the
 * first sign-in). Where an admin requires passkeys for the account's role, only a passkey signs in,
 * and an account without one is led to add it.
 */
export function SignIn({ onSignedIn, needsPasskey = false }: { onSignedIn: () => void; needsPasskey?: boolean }) {
  const { t } = useTranslation();
  // A reload in the middle of a required passkey enrolment comes back to it.
  const [step, setStep] = useState<Step>(needsPasskey ? { kind: 'enroll-passkey' } : { kind: 'password' });
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
            const { next, methods } = await api<{ next: 'enroll' | 'enroll-passkey' | 'verify'; methods: Method[] }>('POST', '/api/auth/login', {
              username,
              password,
            });
            setPassword('');
            if (next === 'verify') {
              setStep({ kind: 'verify', methods });
              return;
            }
            if (next === 'enroll-passkey') {
              setStep({ kind: 'enroll-passkey' });
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
        <button
          type="button"
          className="primary"
          autoFocus
          onClick={() => {
            if (step.then === 'enroll-passkey') setStep({ kind: 'enroll-passkey' });
            else onSignedIn();
          }}
        >
          {t('auth.savedCodes')}
        </button>
      </section>
    );
  }
  if (step.kind === 'enroll-passkey') {
    return (
      <AddPasskeyStep
        onDone={(codes) => {
          if (codes) setStep({ kind: 'recovery', codes });
          else onSignedIn();
        }}
      />
    );
  }
  const enrolling = step.kind === 'enroll';
  const methods = step.kind === 'verify' ? step.methods : ['totp'];
  const afterSecondFactor = (next: 'done' | 'enroll-passkey') => {
    if (next === 'enroll-passkey') setStep({ kind: 'enroll-passkey' });
    else onSignedIn();
  };
  const codeForm = methods.some((method) => method !== 'passkey');
  return (
    <form
      key={step.kind}
      className="card narrow"
      onSubmit={(event) =>
        void run(event, async () => {
          if (enrolling) {
            const { next, recoveryCodes } = await api<{ next: 'done' | 'enroll-passkey'; recoveryCodes: string[] }>('POST', '/api/auth/enrollment/confirm', { code });
            setStep({ kind: 'recovery', codes: recoveryCodes, ...(next === 'enroll-passkey' ? { then: next } : {}) });
          } else {
            const { next } = await api<{ next: 'done' | 'enroll-passkey' }>(
              'POST',
              '/api/auth/second-factor',
              /^\d{6}$/.test(code.trim()) ? { code: code.trim() } : { recoveryCode: code.trim() },
            );
            afterSecondFactor(next);
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
      {methods.includes('passkey') && (
        <>
          <button
            type="button"
            className="primary"
            autoFocus
            disabled={busy}
            data-testid="use-passkey"
            onClick={(event) =>
              void run(event, async () => {
                afterSecondFactor((await signInWithPasskey()).next);
              })
            }
          >
            {t('passkeys.use')}
          </button>
          <p className="muted small">{codeForm ? t('passkeys.orCode') : t('passkeys.onlyPasskey')}</p>
        </>
      )}
      {codeForm && (
        <>
          <label>
            {enrolling ? t('auth.code') : t('auth.codeOrRecovery')}
            <input
              autoFocus={!methods.includes('passkey')}
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
          <button type="submit" className={methods.includes('passkey') ? undefined : 'primary'} disabled={busy}>
            {t('auth.verify')}
          </button>
        </>
      )}
      <ErrorText error={error} />
    </form>
  );
}

/** The step that adds a passkey when the account's role requires one (or it is the first second factor). */
function AddPasskeyStep({ onDone }: { onDone: (recoveryCodes?: string[]) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(() => t('passkeys.defaultName'));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="card narrow"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        addPasskey(name)
          .then((added) => {
            onDone(added.recoveryCodes);
          })
          .catch((caught: unknown) => {
            setError(caught);
          })
          .finally(() => {
            setBusy(false);
          });
      }}
    >
      <h1>{t('passkeys.enrollTitle')}</h1>
      <p>{t('passkeys.enrollIntro')}</p>
      <label>
        {t('passkeys.name')}
        <input
          required
          maxLength={60}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
      </label>
      <ErrorText error={error} />
      <button type="submit" className="primary" autoFocus disabled={busy} data-testid="add-passkey">
        {t('passkeys.add')}
      </button>
    </form>
  );
}
