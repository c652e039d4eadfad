import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

interface Progress {
  tasks: Record<string, number>;
  days: { day: string; outcomes: Record<string, number> }[];
}

/** A campaign's progress: numbers waiting, being called and done, and each China day's outcomes. */
export function CampaignProgress(props: { campaignId: string; refresh: number }) {
  const { t } = useTranslation('operations');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [isFailed, setFailed] = useState(false);
  useEffect(() => {
    api<Progress>('GET', `/api/operations/campaigns/${encodeURIComponent(props.campaignId)}/progress`)
      .then(setProgress)
      .catch(() => { setFailed(true); });
  }, [props.campaignId, props.refresh]);
  if (isFailed) return <span className="muted">–</span>;
  if (!progress) return null;
  const outcomes = [...new Set(progress.days.flatMap((day) => Object.keys(day.outcomes)))].sort();
  return (
    <div className="campaign-progress">
      <p data-testid="campaign-states">
        {['open', 'claimed', 'done'].map((state) => `${t(`campaigns.states.${state}`)} ${progress.tasks[state] ?? 0}`).join(' · ')}
      </p>
      {progress.days.length > 0 && (
        <details>
          <summary>{t('campaigns.perDay')}</summary>
          <div className="table-wrap">
            <table className="list" data-testid="outcomes-per-day">
              <thead>
                <tr>
                  <th scope="col">{t('campaigns.dayChina')}</th>
                  {outcomes.map((outcome) => (
                    <th scope="col" key={outcome}>
                      {t(`outcome.${outcome}`, { ns: 'console' })}
                    </th>
                  ))}
                  <th scope="col">{t('campaigns.total')}</th>
                </tr>
              </thead>
              <tbody>
                {progress.days.map((day) => (
                  <tr key={day.day}>
                    <th scope="row">{day.day}</th>
                    {outcomes.map((outcome) => (
                      <td key={outcome}>{day.outcomes[outcome] ?? 0}</td>
                    ))}
                    <td>{Object.values(day.outcomes).reduce((sum, n) => sum + n, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}
