import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallDraft } from '../draft';
import { maskPhone } from '../phone';
import { Kbd } from '../pages/Kbd';
import { draftNow } from './use-call';
import { formatDuration } from '../duration';

/**
 * The top of a call: its state, the timer (on the server's clock when the server keeps the call),
 * who is called (masked), the hotline number to read out, and the call's buttons. A number to dial
 * by hand (no softphone on this server) shows only while it rings, and never after.
 */
export function CallBar(props: {
  draft: CallDraft;
  dialByHand: string | undefined;
  hotlineNumber: string | null;
  saving: boolean;
  onAnswered: () => void;
  onEnd: () => void;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { draft } = props;
  const [now, setNow] = useState(() => draftNow(draft));
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(draftNow(draft));
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, [draft]);
  const region = draft.region?.name[i18n.language] ?? draft.region?.name.en;
  const since = draft.answeredAt ?? draft.startedAt;
  const until = draft.endedAt ?? Math.max(now, since);
  const who = draft.task
    ? [draft.task.maskedNumber, draft.task.organization].filter(Boolean).join(' · ')
    : draft.phone
      ? maskPhone(draft.phone)
      : t(`call.direction.${draft.direction}`);
  return (
    <section className="callbar" aria-label={t('call.status')}>
      <span className={`status status-${draft.status}`}>{t(`call.state.${draft.status}`)}</span>
      <span className="timer" role="timer" aria-label={t('call.timer')} data-testid="timer">
        {formatDuration(until - since)}
      </span>
      <span className="number" data-testid="call-who">
        {who}
      </span>
      {region && <span className="region">{region}</span>}
      {props.dialByHand !== undefined && draft.status === 'ringing' && (
        <a className="dial-by-hand" href={`tel:${props.dialByHand}`} data-testid="dial-by-hand">
          {t('call.dialByHand', { number: props.dialByHand })}
        </a>
      )}
      {props.hotlineNumber && (
        <span className="hotline-number" data-testid="hotline-number">
          {t('call.hotlineNumber')} <strong>{props.hotlineNumber}</strong>
        </span>
      )}
      <span className="spacer" />
      {draft.status === 'ringing' && (
        <button id="btn-answered" type="button" className="primary" onClick={props.onAnswered}>
          {t('call.answered')} <Kbd keys="Alt+A" />
        </button>
      )}
      {draft.status !== 'ended' && (
        <button type="button" onClick={props.onEnd}>
          {t('call.end')} <Kbd keys="Alt+X" />
        </button>
      )}
      <button id="btn-save" type="button" className={draft.status === 'ended' ? 'primary' : ''} disabled={props.saving} onClick={props.onSave}>
        {t('call.save')} <Kbd keys="Alt+S" />
      </button>
      <button type="button" className="link" onClick={props.onDiscard}>
        {t('call.discard')}
      </button>
    </section>
  );
}
