import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { CampaignForm } from './CampaignForm';
import { CampaignProgress } from './CampaignProgress';
import type { CampaignOut as Campaign, ClaimOut as ClaimAnswer, TaskOut as Task } from '../../../../src/http/routes/operations/campaigns.routes';
import { hhmm } from './campaign-types';
import { OpsErrorText } from './OpsErrorText';
import { TaskFacts } from './TaskFacts';
import { windowOpensText } from './window-time';
import './operations.css';

const BATCH = 10;

/**
 * Campaigns: get the next numbers across campaigns (highest priority first), or a batch of one
 * campaign or of the callback requests; dial one number at a time (the full number is fetched only
 * then, and refused outside the calling window), record the outcome, give back the rest.
 * Coordinators create campaigns, pause them and follow their progress per day.
 */
export function CampaignsPage(props: { isCoordinator: boolean }) {
  const { t, i18n } = useTranslation('operations');
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [lists, setLists] = useState<{ id: string; name: string; entryCount: number }[]>([]);
  const [refresh, setRefresh] = useState(0);
  const load = useCallback(() => {
    api<{ campaigns: Campaign[] }>('GET', '/api/operations/campaigns')
      .then((result) => {
        setCampaigns([...result.campaigns].sort((a, b) => b.priority - a.priority || b.createdAt - a.createdAt));
      })
      .catch(setError);
    api<{ tasks: Task[] }>('GET', '/api/operations/my-tasks')
      .then((result) => { setTasks(result.tasks); })
      .catch(setError);
    if (props.isCoordinator)
      api<{ lists: { id: string; name: string; entryCount: number }[] }>('GET', '/api/operations/lists')
        .then((result) => { setLists(result.lists); })
        .catch(setError);
    setRefresh((n) => n + 1);
  }, [props.isCoordinator]);
  useEffect(load, [load]);

  const explain = (result: ClaimAnswer) => {
    if (result.reason === 'OUTSIDE_CALLING_WINDOW') setNotice(t('campaigns.outsideWindow', { time: windowOpensText(result.windowOpensAt ?? 0, i18n.language, t) }));
    else if (result.reason === 'CAMPAIGN_PAUSED') setNotice(t('campaigns.paused'));
    else if (result.reason === 'NOTHING_LEFT') setNotice(t('campaigns.nothingLeft'));
    else setNotice(t('campaigns.claimed', { count: result.tasks.length }));
  };
  const claim = async (campaignId: string) => {
    explain(await api<ClaimAnswer>('POST', `/api/operations/campaigns/${campaignId}/claim`, { size: BATCH }));
    load();
  };
  const claimNext = async () => {
    explain(await api<ClaimAnswer>('POST', '/api/operations/claim-next', { size: BATCH }));
    load();
  };
  const release = async () => {
    await api('POST', '/api/operations/tasks/release', { taskIds: tasks.map((task) => task.id) });
    load();
  };
  const setStatus = async (campaign: Campaign) => {
    await api('POST', `/api/operations/campaigns/${campaign.id}/status`, { status: campaign.status === 'active' ? 'paused' : 'active' });
    load();
  };
  const guard = (work: () => Promise<void>) => () => {
    setError(null);
    work().catch(setError);
  };
  const nameOf = (campaignId: string | null) => (campaignId === null ? t('campaigns.callbacks') : (campaigns.find((c) => c.id === campaignId)?.name ?? ''));
  return (
    <section className="card wide operations">
      <h1>{t('campaigns.title')}</h1>
      <OpsErrorText error={error} />
      {notice && <p role="status">{notice}</p>}
      <p>
        <button type="button" className="primary" onClick={guard(claimNext)}>
          {t('campaigns.claimNext', { count: BATCH })}
        </button>{' '}
        <span className="muted small">{t('campaigns.claimNextHelp')}</span>
      </p>
      <div className="table-wrap">
        <table className="list" data-testid="campaigns">
          <thead>
            <tr>
              <th scope="col">{t('campaigns.name')}</th>
              <th scope="col">{t('campaigns.window')}</th>
              <th scope="col">{t('campaigns.priority')}</th>
              <th scope="col">{t('campaigns.attempts')}</th>
              <th scope="col">{t('campaigns.progress')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {campaigns.map((campaign) => (
              <tr key={campaign.id}>
                <td>
                  {campaign.name}
                  {campaign.status === 'paused' && <span className="muted"> ({t('campaigns.pausedLabel')})</span>}
                </td>
                <td>
                  {hhmm(campaign.windowStartMinute)}–{hhmm(campaign.windowEndMinute)}
                </td>
                <td>{campaign.priority}</td>
                <td>{t('campaigns.attemptsEvery', { count: campaign.maxAttempts, minutes: campaign.retrySpacingMinutes })}</td>
                <td>
                  <CampaignProgress campaignId={campaign.id} refresh={refresh} />
                </td>
                <td>
                  <button type="button" onClick={guard(() => claim(campaign.id))} disabled={campaign.status !== 'active'}>
                    {t('campaigns.claim', { count: BATCH })}
                  </button>
                  {props.isCoordinator && (
                    <button type="button" className="small" onClick={guard(() => setStatus(campaign))}>
                      {campaign.status === 'active' ? t('campaigns.pause') : t('campaigns.resume')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            <tr>
              <td>{t('campaigns.callbacks')}</td>
              <td>08:00–21:00</td>
              <td>100</td>
              <td />
              <td>{props.isCoordinator && <CampaignProgress campaignId="callbacks" refresh={refresh} />}</td>
              <td>
                <button type="button" onClick={guard(() => claim('callbacks'))}>
                  {t('campaigns.claim', { count: BATCH })}
                </button>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <h2>{t('campaigns.myNumbers')}</h2>
      {tasks.length === 0 ? (
        <p className="muted">{t('campaigns.none')}</p>
      ) : (
        <>
          <ul className="task-list" data-testid="my-numbers">
            {tasks.map((task) => (
              <li key={task.id} className="task">
                <TaskFacts task={task} campaignName={nameOf(task.campaignId)} />
              </li>
            ))}
          </ul>
          <p className="row wrap">
            <a className="button primary" href="#/">
              {t('campaigns.callInWorkspace')}
            </a>
            <button type="button" onClick={guard(release)}>
              {t('campaigns.release')}
            </button>
          </p>
        </>
      )}
      {props.isCoordinator && <CampaignForm lists={lists} onCreated={load} />}
    </section>
  );
}
