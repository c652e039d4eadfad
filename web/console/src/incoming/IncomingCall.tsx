import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Me } from '../api';
import { navigate } from '../hash-route';
import { Kbd } from '../pages/Kbd';
import { Ringer } from '../softphone/ringer';
import { useSocket } from '../socket';
import { acceptOffer } from '../workspace/use-call';
import { useRingAlerts } from './ring-alerts';
import './incoming.css';

/** What the server tells of a call offered to this volunteer. */
interface OfferDetails {
  callId: string;
  language: string | null;
  arrivedAt: number;
  expiresAt: number | null;
  region: { code: string; name: Record<string, string> } | null;
  serverNow: number;
}

function waited(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * An inbound call offered to the volunteer rings on every console screen (where the server has no
 * softphone; a softphone rings by itself): a banner with what is known (region, the caller's
 * language, time waiting), a ring tone, a notification and a flashing title in a background tab.
 * Alt+Y (or Enter on the focused button) accepts and opens the workspace with the call's record
 * started at the server's answer time; Alt+E declines, and the offer moves on.
 */
export function IncomingCall({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [offer, setOffer] = useState<OfferDetails | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(() => Date.now());
  const offset = useRef(0);
  const ringer = useRef(new Ringer());
  const acceptRef = useRef<HTMLButtonElement>(null);

  const onEvent = useCallback((data: unknown) => {
    const event = data as { type: string; callId?: string };
    if (event.type === 'offer' && event.callId) {
      const callId = event.callId;
      setError(null);
      setOffer({ callId, language: null, arrivedAt: Date.now(), expiresAt: null, region: null, serverNow: Date.now() });
      api<OfferDetails>('GET', `/api/operations/offers/${encodeURIComponent(callId)}`)
        .then((details) => {
          offset.current = details.serverNow - Date.now();
          setOffer((current) => (current?.callId === callId ? details : current));
        })
        .catch(() => undefined);
    }
    if ((event.type === 'cancel-offer' || event.type === 'connect') && event.callId) {
      const callId = event.callId;
      setOffer((current) => (current?.callId === callId ? null : current));
    }
  }, []);
  useSocket('/api/operations/my-channel', onEvent);

  const isRinging = offer !== null;
  useEffect(() => {
    if (!isRinging) {
      ringer.current.stop();
      return;
    }
    ringer.current.start();
    acceptRef.current?.focus();
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
      ringer.current.stop();
    };
  }, [isRinging]);

  const accept = useCallback(async () => {
    if (!offer) return;
    const { callId, region } = offer;
    setOffer(null);
    try {
      await acceptOffer(me, callId, region ?? undefined);
      navigate('/');
    } catch (caught) {
      setError(caught);
    }
  }, [offer, me]);
  const decline = useCallback(() => {
    if (!offer) return;
    const callId = offer.callId;
    setOffer(null);
    api('POST', `/api/operations/offers/${encodeURIComponent(callId)}/decline`).catch(() => undefined);
  }, [offer]);
  useRingAlerts(isRinging ? t('incoming.title') : null, () => void accept());

  useEffect(() => {
    if (!isRinging) return;
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.code === 'KeyY' || event.code === 'KeyE') {
        event.preventDefault();
        event.stopPropagation();
        if (event.code === 'KeyY') void accept();
        else decline();
      }
    };
    // Capture: while a call rings, its keys win over the page's.
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
    };
  }, [isRinging, accept, decline]);

  if (!offer)
    return error ? (
      <p className="error incoming-error" role="alert">
        {error instanceof ApiError && error.code === 'OFFER_GONE' ? t('incoming.gone') : t('errors.generic')}
      </p>
    ) : null;
  const region = offer.region ? (offer.region.name[i18n.language] ?? offer.region.name.en) : null;
  return (
    <div className="incoming" role="alertdialog" aria-label={t('incoming.title')} data-testid="incoming-call">
      <strong className="incoming-title">{t('incoming.title')}</strong>
      <span className="incoming-facts">
        {region && <span>{region}</span>}
        {offer.language && <span>{t('incoming.language', { language: t(`board.language_${offer.language}`, { ns: 'operations', defaultValue: offer.language }) })}</span>}
        <span data-testid="incoming-waiting">{t('incoming.waiting', { time: waited(now + offset.current - offer.arrivedAt) })}</span>
      </span>
      <span className="incoming-actions">
        <button ref={acceptRef} type="button" className="primary" onClick={() => void accept()}>
          {t('incoming.accept')} <Kbd keys="Alt+Y" />
        </button>
        <button type="button" onClick={decline}>
          {t('incoming.decline')} <Kbd keys="Alt+E" />
        </button>
      </span>
    </div>
  );
}
