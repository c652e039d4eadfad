import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskOut } from '../../../../src/http/routes/operations/campaigns.routes';
import type { CallDraft } from '../draft';
import { parsePhone } from '../phone';
import { Kbd } from '../pages/Kbd';
import { type Saved, SavedPanel } from '../pages/SavedPanel';
import { MyNumbers } from './MyNumbers';

/**
 * The workspace between calls: the receipt codes of the call just saved, calls put aside, the
 * volunteer's claimed numbers to call, and a number typed by hand or an incoming call taken.
 */
export function IdleScreen(props: {
  saved: Saved | undefined;
  parked: CallDraft[];
  onNext: () => void;
  onStart: (how: { direction: 'outbound' | 'inbound'; phone?: string }) => void;
  onCallTask: (task: TaskOut) => Promise<void>;
  onResume: (draft: CallDraft) => void;
  refresh: number;
  /** Whether this account holds numbers to call (an auditor's does not). */
  canClaim: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [phone, setPhone] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const startOutbound = () => {
    const parsed = phone.trim() === '' ? undefined : parsePhone(phone);
    if (parsed && !parsed.ok) {
      setProblem(parsed.reason);
      return;
    }
    setProblem(undefined);
    setPhone('');
    props.onStart({ direction: 'outbound', phone: parsed?.ok ? parsed.e164 : '' });
  };
  return (
    <div className="workspace idle">
      {props.saved && <SavedPanel saved={props.saved} onNext={props.onNext} />}
      {props.parked.length > 0 && (
        <section className="card narrow" aria-labelledby="parked-title" data-testid="parked">
          <h2 id="parked-title">{t('call.parkedTitle')}</h2>
          <ul className="task-list">
            {props.parked.map((draft) => (
              <li key={draft.clientId} className="task">
                <span>{time.format(draft.startedAt)}</span>
                <span className="muted">{t(`call.direction.${draft.direction}`)}</span>
                <button type="button" onClick={() => { props.onResume(draft); }}>
                  {t('call.resume')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.canClaim && <MyNumbers onCall={props.onCallTask} refresh={props.refresh} />}
      <section className="card narrow">
        <h1>{t('call.startTitle')}</h1>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            startOutbound();
          }}
        >
          <label>
            {t('call.number')}
            <input
              id="phone"
              autoFocus={!props.saved}
              inputMode="tel"
              autoComplete="off"
              maxLength={40}
              value={phone}
              onChange={(e) => {
                setPhone(e.target.value);
              }}
              placeholder="0731 8888 1234"
            />
            <small className="muted">{t('call.numberHint')}</small>
          </label>
          {problem && (
            <p className="error" role="alert">
              {t(`call.phone.${problem}`)}
            </p>
          )}
          <div className="row wrap">
            <button id="btn-start-outbound" type="submit" className="primary">
              {t('call.startOutbound')} <Kbd keys="Alt+N" />
            </button>
            <button
              type="button"
              onClick={() => {
                props.onStart({ direction: 'inbound' });
              }}
            >
              {t('call.takeInbound')} <Kbd keys="Alt+I" />
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
