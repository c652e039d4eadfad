import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from '../pages/ErrorText';
import type { MySummary } from '../../../../src/domain/reports/my-summary';
import './reports.css';

/** A volunteer's own figures: calls, time on calls, people registered, follow-ups waiting. No ranking. */
export function MyPage() {
  const { t, i18n } = useTranslation('reports');
  const [summary, setSummary] = useState<MySummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<MySummary>('GET', '/api/reports/mine').then(setSummary).catch(setError);
  }, []);
  const number = new Intl.NumberFormat(i18n.language);
  const hours = (minutes: number) => t('hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  return (
    <section className="card my-figures">
      <h1>{t('myFigures')}</h1>
      <p className="muted">{t('myIntro')}</p>
      <ErrorText error={error} />
      {summary && (
        <>
          <div className="table-wrap">
            <table data-testid="my-periods">
              <thead>
                <tr>
                  <th scope="col">{t('period')}</th>
                  <th scope="col">{t('dutyHours')}</th>
                  <th scope="col">{t('calls')}</th>
                  <th scope="col">{t('answered')}</th>
                  <th scope="col">{t('timeOnCalls')}</th>
                  <th scope="col">{t('people')}</th>
                </tr>
              </thead>
              <tbody>
                {summary.periods.map((p) => (
                  <tr key={p.days}>
                    <th scope="row">{t(p.days === 1 ? 'last24h' : 'lastDays', { count: p.days })}</th>
                    <td>{hours(p.dutyMinutes)}</td>
                    <td>{number.format(p.calls)}</td>
                    <td>{number.format(p.answered)}</td>
                    <td>{hours(p.talkMinutes)}</td>
                    <td>{number.format(p.people)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <dl>
            <dt>{t('shiftsWeekly')}</dt>
            <dd>{hours(summary.weeklyShiftMinutes)}</dd>
            <dt>{t('followupsOpen')}</dt>
            <dd data-testid="my-followups">{t('followupsCount', { open: summary.followups.open, due: summary.followups.due })}</dd>
          </dl>
        </>
      )}
    </section>
  );
}
