import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignOut, ClaimOut, TaskOut } from '../../../../src/http/routes/operations/campaigns.routes';
import { api } from '../api';
import type { DraftTask } from '../draft';
import { OpsErrorText } from '../operations/OpsErrorText';
import { windowOpensText } from '../operations/window-time';
import { TaskFacts } from '../operations/TaskFacts';

const BATCH = 10;

/** A claimed task as the workspace keeps it in a draft. */
export function draftTaskOf(task: TaskOut): DraftTask {
  return { id: task.id, maskedNumber: task.maskedNumber, organization: task.organization, category: task.category, campaignId: task.campaignId };
}

/**
 * The numbers the volunteer holds (campaign numbers and callback requests), masked, with a button
 * that calls one from the workspace; and "the next numbers" across campaigns.
 */
export function MyNumbers(props: { onCall: (task: TaskOut) => Promise<void> | void; refresh: number }) {
  const { t, i18n } = useTranslation('operations');
  const [tasks, setTasks] = useState<TaskOut[] | undefined>();
  const [campaigns, setCampaigns] = useState<CampaignOut[]>([]);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ tasks: TaskOut[] }>('GET', '/api/operations/my-tasks')
      .then((result) => {
        setTasks(result.tasks);
      })
      .catch(setError);
    api<{ campaigns: CampaignOut[] }>('GET', '/api/operations/campaigns')
      .then((result) => {
        setCampaigns(result.campaigns);
      })
      .catch(() => undefined);
  }, []);
  useEffect(load, [load, props.refresh]);

  const claimNext = async () => {
    setError(null);
    try {
      const result = await api<ClaimOut>('POST', '/api/operations/claim-next', { size: BATCH });
      if (result.reason === 'OUTSIDE_CALLING_WINDOW') setNotice(t('campaigns.outsideWindow', { time: windowOpensText(result.windowOpensAt ?? 0, i18n.language, t) }));
      else if (result.reason === 'NOTHING_LEFT') setNotice(t('campaigns.nothingLeft'));
      else setNotice(t('campaigns.claimed', { count: result.tasks.length }));
      load();
    } catch (caught) {
      setError(caught);
    }
  };
  const call = async (task: TaskOut) => {
    setError(null);
    setNotice('');
    try {
      await props.onCall(task);
    } catch (caught) {
      setError(caught);
      load();
    }
  };
  const campaignName = (id: string | null) => (id === null ? t('campaigns.callbacks') : (campaigns.find((c) => c.id === id)?.name ?? ''));

  return (
    <section className="card narrow" aria-labelledby="my-numbers-title" data-testid="workspace-numbers">
      <h2 id="my-numbers-title">{t('campaigns.myNumbers')}</h2>
      <OpsErrorText error={error} />
      {notice && <p role="status">{notice}</p>}
      {tasks && tasks.length === 0 && <p className="muted">{t('campaigns.none')}</p>}
      {tasks && tasks.length > 0 && (
        <ul className="task-list">
          {tasks.map((task) => (
            <li key={task.id} className="task" data-testid="task">
              <TaskFacts task={task} campaignName={campaignName(task.campaignId)} />
              <button type="button" className="primary" onClick={() => void call(task)}>
                {t('campaigns.callNow')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => void claimNext()}>
        {t('campaigns.claimNext', { count: BATCH })}
      </button>
    </section>
  );
}
