import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../api';
import { ErrorText } from '../pages/ErrorText';
import './operations.css';

interface Board {
  agents: { agentId: string; displayName: string; presence: string; presenceSince: number; activeCallId?: string }[];
  calls: { callId: string; state: string; arrivedAt: number; tier: number }[];
  waitingCalls: number;
}
interface Metrics {
  averageSpeedOfAnswerMs: number | null;
  abandonRate: number | null;
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  occupancy: number | null;
}

function socketUrl(path: string): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${path}`;
}

/** Keeps a WebSocket open while mounted, reconnecting after a drop. */
function useSocket(path: string | null, onMessage: (data: unknown) => void): boolean {
  const [isOpen, setOpen] = useState(false);
  useEffect(() => {
    if (!path) return;
    let socket: WebSocket | undefined;
    let stopped = false;
    const connect = () => {
      socket = new WebSocket(socketUrl(path));
      socket.onopen = () => { setOpen(true); };
      socket.onmessage = (event) => { onMessage(JSON.parse(String(event.data))); };
      socket.onclose = () => {
        setOpen(false);
        if (!stopped) setTimeout(connect, 2000);
      };
    };
    connect();
    return () => {
      stopped = true;
      socket?.close();
    };
  }, [path, onMessage]);
  return isOpen;
}

const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)} %`);

/** Going on duty, answering offers, and for coordinators the live board, queue metrics and the manual provider. */
export function BoardPage(props: { me: Me; isCoordinator: boolean }) {
  const { t } = useTranslation('operations');
  const [presence, setPresence] = useState('offline');
  const [offer, setOffer] = useState<{ callId: string } | null>(null);
  const [board, setBoard] = useState<Board | null>(null);
  const [metrics, setMetrics] = useState<Metrics | null>(null);
  const [error, setError] = useState<unknown>(null);
  const onOwn = useCallback((data: unknown) => {
    const event = data as { type: string; callId?: string; presence?: string };
    if (event.type === 'offer' && event.callId) setOffer({ callId: event.callId });
    if (event.type === 'cancel-offer' || event.type === 'connect') setOffer(null);
    if (event.type === 'agent-presence' && event.presence) setPresence(event.presence);
  }, []);
  const onBoard = useCallback((data: unknown) => {
    const message = data as { type: string; board: Board };
    if (message.type === 'board') setBoard(message.board);
  }, []);
  useSocket('/api/operations/my-channel', onOwn);
  const isLive = useSocket(props.isCoordinator ? '/api/operations/live' : null, onBoard);
  useEffect(() => {
    if (!props.isCoordinator) return;
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    api<Metrics>('GET', `/api/operations/queue/metrics?from=${midnight.getTime()}&to=${Date.now()}`).then(setMetrics).catch(setError);
  }, [props.isCoordinator, board]);

  const choose = (next: string) => {
    api<{ presence: string }>('POST', '/api/operations/presence', { presence: next, languages: ['zh'] })
      .then((result) => { setPresence(result.presence); })
      .catch(setError);
  };
  const answer = (how: 'accept' | 'decline') => {
    if (!offer) return;
    api('POST', `/api/operations/offers/${encodeURIComponent(offer.callId)}/${how}`)
      .then(() => { setOffer(null); })
      .catch(setError);
  };
  const simulate = () => {
    api('POST', '/api/operations/queue/simulate', { event: 'arrive', callId: `manual-${Date.now().toString(36)}`, language: 'zh' }).catch(setError);
  };
  return (
    <section className="card wide operations">
      <h1>{t('board.title')}</h1>
      <ErrorText error={error} />
      <p role="status">{t('board.myPresence', { presence: t(`board.presence_${presence}`) })}</p>
      <div className="row wrap">
        <button type="button" className="primary" onClick={() => { choose('available'); }}>
          {t('board.goAvailable')}
        </button>
        <button type="button" onClick={() => { choose('break'); }}>
          {t('board.goBreak')}
        </button>
        <button type="button" onClick={() => { choose('offline'); }}>
          {t('board.goOffline')}
        </button>
      </div>
      {offer && (
        <div className="offer" role="alertdialog" aria-label={t('board.offer')}>
          <strong>{t('board.offer')}</strong>{' '}
          <button type="button" className="primary" onClick={() => { answer('accept'); }}>
            {t('board.accept')}
          </button>{' '}
          <button type="button" onClick={() => { answer('decline'); }}>
            {t('board.decline')}
          </button>
        </div>
      )}
      {props.isCoordinator && (
        <>
          <p className="muted small">{isLive ? t('board.live') : t('board.notLive')}</p>
          {board && (
            <>
              <p>
                {t('board.waiting')}: {board.waitingCalls}
              </p>
              <table className="list" data-testid="presence-board">
                <thead>
                  <tr>
                    <th scope="col">{t('board.agent')}</th>
                    <th scope="col">{t('board.presence')}</th>
                    <th scope="col">{t('board.since')}</th>
                  </tr>
                </thead>
                <tbody>
                  {board.agents
                    .filter((agent) => agent.presence !== 'offline')
                    .map((agent) => (
                      <tr key={agent.agentId}>
                        <td>{agent.displayName}</td>
                        <td>{t(`board.presence_${agent.presence}`)}</td>
                        <td>{new Date(agent.presenceSince).toLocaleTimeString()}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </>
          )}
          {metrics && (
            <div className="metrics" aria-label={t('board.metrics')}>
              <span>
                {t('board.asa')}: {metrics.averageSpeedOfAnswerMs === null ? '–' : `${Math.round(metrics.averageSpeedOfAnswerMs / 1000)} s`}
              </span>
              <span>
                {t('board.abandon')}: {percent(metrics.abandonRate)}
              </span>
              <span>
                {t('board.serviceLevel', { seconds: metrics.serviceLevelSeconds })}: {percent(metrics.serviceLevel)}
              </span>
              <span>
                {t('board.occupancy')}: {percent(metrics.occupancy)}
              </span>
            </div>
          )}
          <button type="button" onClick={simulate}>
            {t('board.simulate')}
          </button>
        </>
      )}
    </section>
  );
}
