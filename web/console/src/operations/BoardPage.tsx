import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../api';
import type { AgentView, QueueMetrics, RoutingSnapshot } from '../../../../src/domain/routing/routing.types';
import { OpsErrorText } from './OpsErrorText';
import { SpokenLanguages } from './SpokenLanguages';
import { useSocket } from '../socket';
import { useConsoleSettings } from '../settings';
import { askForNotifications } from '../incoming/ring-alerts';
import './operations.css';

/** The live board as the server sends it: the routing snapshot, each agent with their name. */
type Board = Omit<RoutingSnapshot, 'agents'> & { agents: (AgentView & { displayName: string })[] };
/** Queue figures as the server computes them. */
type Metrics = QueueMetrics;

const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)} %`);

/** Going on duty, answering offers, and for coordinators the live board, queue metrics and the manual provider. */
export function BoardPage(props: { me: Me; isCoordinator: boolean }) {
  const { t, i18n } = useTranslation('operations');
  const [presence, setPresence] = useState('offline');
  const [board, setBoard] = useState<Board | null>(null);
  const [metrics, setMetrics] = useState<Metrics | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [languages, setLanguages] = useState<string[]>([]);
  useEffect(() => {
    api<{ presence: string; languages: string[] }>('GET', '/api/operations/presence/me')
      .then((mine) => {
        setPresence(mine.presence);
        setLanguages(mine.languages);
      })
      .catch(setError);
  }, []);
  const onOwn = useCallback((data: unknown) => {
    const event = data as { type: string; callId?: string; presence?: string };
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

  const settings = useConsoleSettings();
  const choose = (next: string) => {
    setError(null);
    // Calls ring as notifications too when this tab is in the background: asked on this click.
    if (next === 'available') askForNotifications();
    api<{ presence: string }>('POST', '/api/operations/presence', { presence: next, ...(languages.length > 0 ? { languages } : {}) })
      .then((result) => { setPresence(result.presence); })
      .catch(setError);
  };
  const simulate = () => {
    api('POST', '/api/operations/queue/simulate', { event: 'arrive', callId: `demo-${Date.now().toString(36)}`, language: 'zh' }).catch(setError);
  };
  return (
    <section className="card wide operations">
      <h1>{t('board.title')}</h1>
      <OpsErrorText error={error} />
      <p role="status">{t('board.myPresence', { presence: t(`board.presence_${presence}`) })}</p>
      <SpokenLanguages languages={languages} onSaved={setLanguages} onError={setError} />
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
                    <th scope="col">{t('board.languagesColumn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {board.agents
                    .filter((agent) => agent.presence !== 'offline')
                    .map((agent) => (
                      <tr key={agent.agentId}>
                        <td>{agent.displayName}</td>
                        <td>{t(`board.presence_${agent.presence}`)}</td>
                        <td>{new Date(agent.presenceSince).toLocaleTimeString(i18n.language)}</td>
                        <td>{agent.languages.map((code) => t(`board.language_${code}`, { defaultValue: code })).join(', ')}</td>
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
          {settings?.demoCalls && (
            <p className="demo-mode" data-testid="demo-mode">
              <strong>{t('board.demoMode')}</strong>{' '}
              <button type="button" onClick={simulate}>
                {t('board.simulate')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
