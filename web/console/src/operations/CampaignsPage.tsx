import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from '../pages/ErrorText';
import './operations.css';

interface Campaign {
  id: string;
  name: string;
  windowStartMinute: number;
  windowEndMinute: number;
  maxAttempts: number;
  priority: number;
  status: string;
}
interface Task {
  id: string;
  kind: string;
  maskedNumber: string;
  organization: string | null;
  category: string | null;
  attempts: number;
  maxAttempts: number;
}
const OUTCOMES = ['no_answer', 'busy', 'wrong_number', 'hung_up', 'listened', 'declined', 'registered', 'hostile', 'callback_requested', 'out_of_service'];
const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * Campaigns: claim a batch (or callback requests), dial one number at a time (the full number is
 * fetched only then and forgotten after the outcome), give back the rest. Coordinators create them.
 */
export function CampaignsPage(props: { isCoordinator: boolean }) {
  const { t } = useTranslation('operations');
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [notice, setNotice] = useState('');
  const [dialing, setDialing] = useState<{ taskId: string; number: string } | null>(null);
  const [outcome, setOutcome] = useState('no_answer');
  const [error, setError] = useState<unknown>(null);
  const [lists, setLists] = useState<{ id: string; name: string }[]>([]);
  const [draft, setDraft] = useState({ name: '', listId: '' });
  const [progress, setProgress] = useState<Record<string, Record<string, number>>>({});
  const load = useCallback(() => {
    api<{ campaigns: Campaign[] }>('GET', '/api/operations/campaigns')
      .then((result) => {
        setCampaigns(result.campaigns);
        for (const campaign of result.campaigns) {
          void api<{ tasks: Record<string, number> }>('GET', `/api/operations/campaigns/${campaign.id}/progress`).then((p) => { setProgress((old) => ({ ...old, [campaign.id]: p.tasks })); });
        }
      })
      .catch(setError);
    api<{ tasks: Task[] }>('GET', '/api/operations/my-tasks')
      .then((result) => { setTasks(result.tasks); })
      .catch(setError);
    if (props.isCoordinator)
      api<{ lists: { id: string; name: string }[] }>('GET', '/api/operations/lists')
        .then((result) => { setLists(result.lists); })
        .catch(setError);
  }, [props.isCoordinator]);
  useEffect(load, [load]);

  const claim = async (campaignId: string) => {
    const result = await api<{ tasks: Task[]; reason?: string; windowOpensAt?: number }>('POST', `/api/operations/campaigns/${campaignId}/claim`, { size: 10 });
    if (result.reason === 'OUTSIDE_CALLING_WINDOW') setNotice(t('campaigns.outsideWindow', { time: new Date(result.windowOpensAt ?? 0).toLocaleString() }));
    else if (result.reason === 'CAMPAIGN_PAUSED') setNotice(t('campaigns.paused'));
    else if (result.reason === 'NOTHING_LEFT') setNotice(t('campaigns.nothingLeft'));
    else setNotice('');
    load();
  };
  const dial = async (taskId: string) => {
    setDialing(await api<{ taskId: string; number: string }>('POST', `/api/operations/tasks/${encodeURIComponent(taskId)}/dial`));
  };
  const record = async () => {
    if (!dialing) return;
    await api('POST', `/api/operations/tasks/${encodeURIComponent(dialing.taskId)}/attempts`, { outcome });
    setDialing(null);
    load();
  };
  const release = async () => {
    await api('POST', '/api/operations/tasks/release', { taskIds: tasks.map((task) => task.id) });
    load();
  };
  const create = async (event: React.SyntheticEvent) => {
    event.preventDefault();
    await api('POST', '/api/operations/campaigns', { name: draft.name, listIds: [draft.listId] });
    setDraft({ name: '', listId: '' });
    load();
  };
  const guard = (work: () => Promise<void>) => () => {
    setError(null);
    work().catch(setError);
  };
  return (
    <section className="card wide operations">
      <h1>{t('campaigns.title')}</h1>
      <ErrorText error={error} />
      {notice && <p role="status">{notice}</p>}
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t('campaigns.name')}</th>
            <th scope="col">{t('campaigns.window')}</th>
            <th scope="col">{t('campaigns.progress')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {campaigns.map((campaign) => (
            <tr key={campaign.id}>
              <td>{campaign.name}</td>
              <td>
                {hhmm(campaign.windowStartMinute)}–{hhmm(campaign.windowEndMinute)}
              </td>
              <td>
                {Object.entries(progress[campaign.id] ?? {})
                  .map(([state, n]) => `${t(`campaigns.states.${state}`)} ${n}`)
                  .join(' · ')}
              </td>
              <td>
                <button type="button" onClick={guard(() => claim(campaign.id))}>
                  {t('campaigns.claim', { count: 10 })}
                </button>
              </td>
            </tr>
          ))}
          <tr>
            <td>{t('campaigns.callbacks')}</td>
            <td>08:00–21:00</td>
            <td />
            <td>
              <button type="button" onClick={guard(() => claim('callbacks'))}>
                {t('campaigns.claim', { count: 10 })}
              </button>
            </td>
          </tr>
        </tbody>
      </table>
      <h2>{t('campaigns.myNumbers')}</h2>
      {tasks.length === 0 ? (
        <p className="muted">{t('campaigns.none')}</p>
      ) : (
        <>
          <ul>
            {tasks.map((task) => (
              <li key={task.id}>
                <code>{task.maskedNumber}</code> {task.organization} {task.category ? `(${task.category})` : ''} — {task.attempts}/{task.maxAttempts}{' '}
                <button type="button" className="small" onClick={guard(() => dial(task.id))}>
                  {t('campaigns.dial')}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={guard(release)}>
            {t('campaigns.release')}
          </button>
        </>
      )}
      {dialing && (
        <div className="offer" role="dialog" aria-label={t('campaigns.fullNumber')}>
          <p>
            {t('campaigns.fullNumber')}: <strong data-testid="full-number">{dialing.number}</strong>
          </p>
          <label>
            {t('campaigns.outcome')}
            <select value={outcome} onChange={(event) => { setOutcome(event.target.value); }}>
              {OUTCOMES.map((code) => (
                <option key={code} value={code}>
                  {t(`campaigns.outcomes.${code}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" onClick={guard(record)}>
            {t('campaigns.record')}
          </button>
        </div>
      )}
      {props.isCoordinator && (
        <form className="row wrap" onSubmit={(event) => { guard(() => create(event))(); }}>
          <h2 className="grow">{t('campaigns.create')}</h2>
          <label>
            {t('campaigns.name')}
            <input value={draft.name} maxLength={120} onChange={(event) => { setDraft({ ...draft, name: event.target.value }); }} />
          </label>
          <label>
            {t('campaigns.lists')}
            <select value={draft.listId} onChange={(event) => { setDraft({ ...draft, listId: event.target.value }); }}>
              <option value="" />
              {lists.map((list) => (
                <option key={list.id} value={list.id}>
                  {list.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={!draft.name || !draft.listId}>
            {t('campaigns.create')}
          </button>
        </form>
      )}
    </section>
  );
}
