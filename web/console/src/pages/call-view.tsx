import { useTranslation } from 'react-i18next';
import { formatDuration } from '../duration';
import type { CallOut } from '../../../../src/http/presenters/call.presenter';

/** A saved call as the API shows it (the server's type). */
export type CallView = CallOut;

/** A call's duration as mm:ss or h:mm:ss ('—' while unknown). */
export function callDuration(call: Pick<CallView, 'durationSeconds'>): string {
  return call.durationSeconds === null ? '—' : formatDuration(call.durationSeconds * 1000);
}

/** A table of calls; notes and follow-ups appear only when the API sent them. */
export function CallTable({
  calls,
  owners,
  renderActions,
}: {
  calls: CallView[];
  owners?: Record<string, string>;
  renderActions?: (call: CallView) => React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  if (calls.length === 0) return <p className="muted">{t('calls.none')}</p>;
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const handedOut = (call: CallView) =>
    [
      call.handedOut.hotlineNumberGiven ? t('handed.hotline') : '',
      call.handedOut.circumventionTool ? `${t('handed.tool')}: ${call.handedOut.circumventionTool}` : '',
      call.handedOut.materialsRequested ? t('handed.materials') : '',
    ]
      .filter(Boolean)
      .join(' · ') || '—';
  return (
    <div className="table-wrap">
      <table className="calls stack">
        <thead>
          <tr>
            <th scope="col">{t('calls.when')}</th>
            <th scope="col">{t('calls.duration')}</th>
            {owners && <th scope="col">{t('calls.volunteer')}</th>}
            <th scope="col">{t('calls.number')}</th>
            <th scope="col">{t('calls.whoAnswered')}</th>
            <th scope="col">{t('who.listeners')}</th>
            <th scope="col">{t('calls.people')}</th>
            <th scope="col">{t('handed.title')}</th>
            <th scope="col">{t('outcome.label')}</th>
            <th scope="col">{t('notes.label')}</th>
            <th scope="col">{t('followup.title')}</th>
            {renderActions && <th scope="col">{t('calls.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr key={call.id} data-testid="call-row">
              <td data-label={t('calls.when')}>{format.format(call.startedAt)}</td>
              <td data-label={t('calls.duration')}>
                <div>
                  <span data-testid="duration-cell">{callDuration(call)}</span>
                  {call.timesSource === 'corrected' && <div className="muted small">{t('calls.timesCorrected')}</div>}
                </div>
              </td>
              {owners && <td data-label={t('calls.volunteer')}>{owners[call.ownerId] ?? '—'}</td>}
              <td data-label={t('calls.number')}>
                <div>
                  {call.phoneMasked ?? t(`call.direction.${call.direction}`)}
                  {call.region && <div className="muted small">{(call.region.name as Record<string, string>)[i18n.language] ?? call.region.name.en}</div>}
                </div>
              </td>
              <td data-label={t('calls.whoAnswered')}>
                {[call.orgType ? t(`orgType.${call.orgType}`) : '', call.occupation ? t(`occupation.${call.occupation}`) : ''].filter(Boolean).join(' · ') || '—'}
              </td>
              <td data-label={t('who.listeners')}>{call.listeners ?? '—'}</td>
              <td data-label={t('calls.people')}>{call.peopleRegistered}</td>
              <td data-label={t('handed.title')}>{handedOut(call)}</td>
              <td data-label={t('outcome.label')} data-testid="outcome-cell">
                {t(`outcome.${call.outcome}`)}
              </td>
              <td data-label={t('notes.label')} className="notes-cell" data-testid="notes-cell">
                {call.notesShredded ? (
                  <span className="muted">{t('calls.shredded')}</span>
                ) : call.notes === null ? (
                  <span className="muted">{t('calls.hidden')}</span>
                ) : (
                  call.notes || '—'
                )}
              </td>
              <td data-label={t('followup.title')} data-testid="followup-cell">
                {call.followups === undefined ? (
                  <span className="muted">{t('calls.hidden')}</span>
                ) : call.followups.length === 0 ? (
                  '—'
                ) : (
                  call.followups.map((f) => (
                    <div key={f.id}>{f.shredded ? t('calls.shredded') : `${f.name} ${f.howToReach} — ${f.offered}`}</div>
                  ))
                )}
              </td>
              {renderActions && <td data-label={t('calls.actions')}>{renderActions(call)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
