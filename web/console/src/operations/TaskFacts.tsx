import { useTranslation } from 'react-i18next';
import type { TaskOut } from '../../../../src/http/routes/operations/campaigns.routes';

/** What a volunteer sees of a claimed number: masked, its organization and kind, campaign and attempts. */
export function TaskFacts({ task, campaignName }: { task: TaskOut; campaignName: string }) {
  const { t } = useTranslation('operations');
  return (
    <>
      <span className="task-number">{task.maskedNumber}</span>
      <span className="task-org">
        {task.organization}
        {task.category && <span className="muted"> · {t(`categories.${task.category}`, { defaultValue: t('categories.other') })}</span>}
      </span>
      <span className="muted small">
        {campaignName} · {t('campaigns.attemptsOf', { attempts: task.attempts, max: task.maxAttempts })}
      </span>
    </>
  );
}
