import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { taskDialTarget } from '../../../../src/shared/dial-target';
import { api, ApiError } from '../api';
import { navigate } from '../hash-route';
import { Kbd } from '../pages/Kbd';
import { Ringer } from './ringer';
import { type CallEnd, type ConsolePhone, type PhoneCall, type PhoneState, type SipAccount, SipPhone } from './sip-phone';
import { type DialDecision, TwilioPhone, type TwilioPorts } from './twilio-phone';
import { offerDialer, tellWorkspace } from './workspace-bridge';
import { useConsoleSettings } from '../settings';
import type { DraftTask } from '../draft';
import { useRingAlerts } from '../incoming/ring-alerts';
import './softphone.css';

interface Task {
  id: string;
  maskedNumber: string;
  organization: string | null;
}

const IDLE: PhoneState = { registration: 'connecting', call: null };
const noSubscription = () => () => undefined;
const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function elapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** Which provider carries the console's calls on this server. */
type PhoneSetup = { kind: 'sip'; account: SipAccount } | { kind: 'twilio' };

/**
 * A stand-in for Twilio's Voice SDK set on the window before the console loads. The browser tests
 * use it: the SDK talks only to Twilio's servers, which they cannot reach.
 */
type SdkStandIn = { HotlineTwilioVoiceSdk?: Awaited<ReturnType<TwilioPorts['loadSdk']>> };

/** The Twilio phone's ports: the Voice SDK as a chunk of its own, tokens and dial decisions from Hotline. */
const twilioPorts: TwilioPorts = {
  loadSdk: () => {
    const standIn = (window as SdkStandIn).HotlineTwilioVoiceSdk;
    return standIn ? Promise.resolve(standIn) : import('@twilio/voice-sdk');
  },
  token: () => api<{ token: string }>('GET', '/telephony/twilio/token').then((result) => result.token),
  requestDial: (target: string) => api<DialDecision>('POST', '/telephony/twilio/dials', { target }),
};

/**
 * The browser softphone, shown on every console page while SIP or Twilio telephony is configured:
 * it registers the volunteer, rings for the call Hotline offers them, and dials their claimed
 * numbers by task reference, so the full number never reaches the screen.
 */
export function Softphone() {
  const settings = useConsoleSettings();
  const [setup, setSetup] = useState<PhoneSetup | null>(null);
  const telephony = settings?.telephony ?? null;
  useEffect(() => {
    // Asked only where the server has a softphone; 403: this role has no phone.
    if (telephony === 'sip')
      api<SipAccount>('GET', '/telephony/sip/account')
        .then((account) => { setSetup({ kind: 'sip', account }); })
        .catch(() => { setSetup(null); });
    else if (telephony === 'twilio')
      api<{ token: string }>('GET', '/telephony/twilio/token').then(
        () => { setSetup({ kind: 'twilio' }); },
        () => { setSetup(null); },
      );
  }, [telephony]);
  if (!setup) return null;
  return <PhonePanel setup={setup} />;
}

function PhonePanel({ setup }: { setup: PhoneSetup }) {
  const account = setup.kind === 'sip' ? setup.account : null;
  const { t } = useTranslation('softphone');
  const audioRef = useRef<HTMLAudioElement>(null);
  const [phone, setPhone] = useState<ConsolePhone | null>(null);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [number, setNumber] = useState('');
  const [isKeypadOpen, setKeypadOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const [now, setNow] = useState(() => Date.now());
  const pendingOutcome = useRef(new Set<string>());
  const state = useSyncExternalStore(phone?.subscribe ?? noSubscription, phone?.snapshot ?? (() => IDLE));
  const call = state.call;

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    const created: ConsolePhone = account ? new SipPhone(account, audio) : new TwilioPhone(twilioPorts);
    setPhone(created);
    created.start().catch(() => { setNotice('startFailed'); });
    return () => { created.stop(); };
  }, [account]);

  const loadTasks = useCallback(() => {
    api<{ tasks: Task[] }>('GET', '/api/operations/my-tasks')
      .then((result) => { setTasks(result.tasks); })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    loadTasks();
    // Numbers are claimed on the campaigns page: look again when the volunteer comes back.
    window.addEventListener('focus', loadTasks);
    window.addEventListener('hashchange', loadTasks);
    return () => {
      window.removeEventListener('focus', loadTasks);
      window.removeEventListener('hashchange', loadTasks);
    };
  }, [loadTasks]);

  useEffect(() => {
    const timer = setInterval(() => { setNow(Date.now()); }, 1000);
    return () => { clearInterval(timer); };
  }, []);

  // Ring while a call is offered: tone, browser notification and a flashing title in a background tab.
  const ringer = useRef(new Ringer());
  useEffect(() => {
    if (call?.state === 'ringing') ringer.current.start();
    else ringer.current.stop();
  }, [call?.state]);
  useRingAlerts(call?.state === 'ringing' ? t('incoming') : null);

  // The workspace keeps the call record: tell it when a call starts, is answered and ends.
  const previous = useRef<PhoneCall | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = call;
    if (!call) return;
    const isSameCall = before?.callId === call.callId && before.direction === call.direction;
    const telephonyCallId = `${account ? 'sip' : 'twilio'}:${call.callId}`;
    if (call.direction === 'outbound' && call.state === 'calling' && !isSameCall) {
      navigate('/');
      const task = call.taskId === undefined ? undefined : dialedTasks.current.get(call.taskId);
      tellWorkspace({ type: 'dialing', telephonyCallId, ...(task ? { task } : {}) });
    }
    if (call.state === 'established' && (!isSameCall || before.state !== 'established')) {
      if (call.direction === 'inbound') navigate('/');
      tellWorkspace({ type: 'answered', direction: call.direction, telephonyCallId });
    }
    if (call.state === 'ended' && isSameCall && before.state !== 'ended') {
      if (call.answeredAt !== undefined || call.direction === 'outbound') tellWorkspace({ type: 'ended' });
      if (call.taskId !== undefined && call.answeredAt === undefined) {
        // Not answered: nothing to record by hand (Hotline recorded busy or no answer itself).
        pendingOutcome.current.delete(call.taskId);
        loadTasks();
      }
    }
  }, [call, loadTasks, account]);

  // The workspace dials claimed numbers through this phone (the number never reaches the browser).
  const dialedTasks = useRef(new Map<string, DraftTask>());
  useEffect(() => {
    if (!phone || state.registration !== 'registered') return;
    return offerDialer((task) => {
      if (phone.isBusy()) return;
      phone.clear();
      setNotice('');
      dialedTasks.current.set(task.id, task);
      pendingOutcome.current.add(task.id);
      phone.dial(taskDialTarget(task.id), { label: [task.maskedNumber, task.organization].filter(Boolean).join(' · '), taskId: task.id });
    });
  }, [phone, state.registration]);

  const nextTask = tasks.find((task) => !pendingOutcome.current.has(task.id));
  const dialNext = useCallback(async () => {
    if (!phone || phone.isBusy()) return;
    // The claims as they are now (numbers may have been claimed on another page a moment ago).
    const fresh = await api<{ tasks: Task[] }>('GET', '/api/operations/my-tasks').then((result) => result.tasks).catch(() => tasks);
    setTasks(fresh);
    const task = fresh.find((candidate) => !pendingOutcome.current.has(candidate.id));
    if (!task) {
      setNotice('nothingToDial');
      return;
    }
    phone.clear();
    setNotice('');
    pendingOutcome.current.add(task.id);
    dialedTasks.current.set(task.id, { id: task.id, maskedNumber: task.maskedNumber, organization: task.organization, category: null, campaignId: null });
    phone.dial(taskDialTarget(task.id), { label: [task.maskedNumber, task.organization].filter(Boolean).join(' · '), taskId: task.id });
  }, [phone, tasks]);

  const dialNumber = (event: React.SyntheticEvent) => {
    event.preventDefault();
    const digits = number.replace(/[\s().-]/g, '');
    if (!phone || phone.isBusy() || digits === '') return;
    phone.clear();
    setNotice('');
    phone.dial(digits, { label: t('typedNumber') });
    setNumber('');
  };

  const transfer = async () => {
    if (!phone || call?.state !== 'established') return;
    try {
      const { target } = await api<{ target: string }>('POST', '/telephony/sip/transfers', { callId: call.callId });
      phone.transfer(target);
    } catch (error) {
      setNotice(error instanceof ApiError && error.code === 'NOT_FOUND' ? 'noCoordinator' : 'transferFailed');
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || !phone) return;
      const act = (run: () => void) => {
        event.preventDefault();
        event.stopPropagation();
        run();
      };
      if (event.code === 'KeyD' && !phone.isBusy()) act(() => void dialNext());
      else if (event.code === 'KeyY' && call?.state === 'ringing') act(() => { phone.answer(); });
      else if (event.code === 'KeyE' && call?.state === 'ringing') act(() => { phone.decline(); });
      else if (event.code === 'KeyE' && phone.isBusy()) act(() => { phone.hangUp(); });
      else if (event.code === 'KeyQ' && call?.state === 'established') act(() => { phone.toggleMute(); });
      else if (event.code === 'KeyB' && call?.state === 'established' && phone.canHold) act(() => { phone.toggleHold(); });
    };
    // Capture: the softphone's keys win over the page's.
    window.addEventListener('keydown', onKey, true);
    return () => { window.removeEventListener('keydown', onKey, true); };
  }, [phone, call?.state, dialNext]);

  return (
    <section className="softphone" aria-label={t('title')} data-testid="softphone" data-registration={state.registration}>
      <audio ref={audioRef} autoPlay />
      <span className={`phone-status phone-${state.registration}`} role="status">
        {t(`registration.${state.registration}`)}
      </span>
      {call?.state === 'ringing' && (
        <div className="phone-ringing" role="alertdialog" aria-label={t('incoming')}>
          <strong>{t('incoming')}</strong>
          <button type="button" className="primary" onClick={() => { phone?.answer(); }}>
            {t('answer')} <Kbd keys="Alt+Y" />
          </button>
          <button type="button" onClick={() => { phone?.decline(); }}>
            {t('decline')} <Kbd keys="Alt+E" />
          </button>
        </div>
      )}
      {call && (call.state === 'calling' || call.state === 'established') && (
        <div className="phone-call" data-testid="phone-call" data-state={call.state} data-packets-received={call.audio?.packetsReceived ?? 0}>
          <span className="phone-who">{call.direction === 'inbound' ? t('inboundCall') : call.label}</span>
          <span className="phone-state">{t(`state.${call.state}`)}</span>
          {call.state === 'established' && (
            <>
              <span className="phone-timer" role="timer">{elapsed(now - (call.answeredAt ?? now))}</span>
              <span className="phone-audio">{(call.audio?.packetsReceived ?? 0) > 0 ? t('audioOk') : t('audioNone')}</span>
              <button type="button" aria-pressed={call.isMuted} onClick={() => { phone?.toggleMute(); }}>
                {call.isMuted ? t('unmute') : t('mute')} <Kbd keys="Alt+Q" />
              </button>
              {phone?.canHold && (
                <button type="button" aria-pressed={call.isHeld} onClick={() => { phone.toggleHold(); }}>
                  {call.isHeld ? t('resume') : t('hold')} <Kbd keys="Alt+B" />
                </button>
              )}
              <button type="button" aria-expanded={isKeypadOpen} onClick={() => { setKeypadOpen(!isKeypadOpen); }}>
                {t('keypad')}
              </button>
              {phone?.canTransfer && (
                <button type="button" disabled={call.isTransferring} onClick={() => void transfer()}>
                  {call.isTransferring ? t('transferring') : t('transfer')}
                </button>
              )}
            </>
          )}
          <button type="button" className="danger" onClick={() => { phone?.hangUp(); }}>
            {t('hangUp')} <Kbd keys="Alt+E" />
          </button>
          {call.state === 'established' && isKeypadOpen && (
            <div className="phone-keypad" role="group" aria-label={t('keypad')}>
              {KEYPAD.map((key) => (
                <button key={key} type="button" onClick={() => { phone?.sendDtmf(key); }}>
                  {key}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
      {(!call || call.state === 'ended') && (
        <div className="phone-idle">
          <button type="button" className="primary" disabled={state.registration !== 'registered'} onClick={() => void dialNext()}>
            {nextTask ? t('dialNext', { number: nextTask.maskedNumber }) : t('noNumbers')} <Kbd keys="Alt+D" />
          </button>
          <form className="phone-dial" onSubmit={dialNumber}>
            <label>
              <span className="visually-hidden">{t('numberLabel')}</span>
              <input inputMode="tel" autoComplete="off" maxLength={40} placeholder={t('numberLabel')} value={number} onChange={(e) => { setNumber(e.target.value); }} />
            </label>
            <button type="submit" disabled={state.registration !== 'registered' || number.trim() === ''}>
              {t('call')}
            </button>
          </form>
        </div>
      )}
      {call?.state === 'ended' && call.end && <EndMessage end={call.end} />}
      {notice !== '' && (
        <span className="phone-notice" role="status">
          {t(`notice.${notice}`)}
        </span>
      )}
      {account && (
      <details className="phone-account">
        <summary>{t('deskPhone.title')}</summary>
        <p className="muted small">{t('deskPhone.intro')}</p>
        <dl>
          <dt>{t('deskPhone.username')}</dt>
          <dd><code>{account.username}</code></dd>
          <dt>{t('deskPhone.domain')}</dt>
          <dd><code>{account.domain}</code></dd>
          <dt>{t('deskPhone.password')}</dt>
          <dd><code>{account.password}</code></dd>
        </dl>
      </details>
      )}
    </section>
  );
}

/** Why the last call ended, in the volunteer's language; a refusal is an alert. */
function EndMessage({ end }: { end: CallEnd }) {
  const { t } = useTranslation('softphone');
  if (end.kind === 'refused')
    return (
      <p className="error phone-refusal" role="alert" data-testid="phone-refusal">
        {t(`refusal.${end.refusal}`)}
      </p>
    );
  return (
    <span className="phone-ended" role="status">
      {t(`ended.${end.kind}`)}
    </span>
  );
}
