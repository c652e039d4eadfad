import { useTranslation } from 'react-i18next';

/** A saved call as the API shows it. */
export interface CallView {
  id: string;
  ownerId: string;
  direction: string;
  phoneMasked: string | null;
  regionCode: string | null;
  /** The region with its name in every console language (the server has the tables). */
  region: { code: string; name: Record<string, string> } | null;
  orgType: string | null;
  occupation: string | null;
  listeners: number | null;
  outcome: string;
  notes: string | null;
  notesShredded: boolean;
  peopleRegistered: number;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  createdAt: number;
  editable: boolean;
  editableUntil: number;
  script: { id: string; version: number } | null;
  registrations: { clientId: string; statementId: string; people: number }[];
  handedOut: { hotlineNumberGiven: boolean; circumventionTool: string; materialsRequested: boolean };
  followups?: { id: string; name: string; howToReach: string; offered: string; shredded: boolean }[];
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
  return (
    <div className="table-wrap">
      <table className="calls">
        <thead>
          <tr>
            <th scope="col">{t('calls.when')}</th>
            {owners && <th scope="col">{t('calls.volunteer')}</th>}
            <th scope="col">{t('calls.number')}</th>
            <th scope="col">{t('who.orgType')}</th>
            <th scope="col">{t('outcome.label')}</th>
            <th scope="col">{t('calls.people')}</th>
            <th scope="col">{t('notes.label')}</th>
            <th scope="col">{t('followup.title')}</th>
            {renderActions && <th scope="col">{t('calls.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr key={call.id} data-testid="call-row">
              <td>{format.format(call.startedAt)}</td>
              {owners && <td>{owners[call.ownerId] ?? '—'}</td>}
              <td>
                {call.phoneMasked ?? t(`call.direction.${call.direction}`)}
                {call.region && <div className="muted small">{call.region.name[i18n.language] ?? call.region.name.en}</div>}
              </td>
              <td>{call.orgType ? t(`orgType.${call.orgType}`) : '—'}</td>
              <td>{t(`outcome.${call.outcome}`)}</td>
              <td>{call.peopleRegistered}</td>
              <td className="notes-cell" data-testid="notes-cell">
                {call.notesShredded ? (
                  <span className="muted">{t('calls.shredded')}</span>
                ) : call.notes === null ? (
                  <span className="muted">{t('calls.hidden')}</span>
                ) : (
                  call.notes
                )}
              </td>
              <td data-testid="followup-cell">
                {call.followups === undefined ? (
                  <span className="muted">{t('calls.hidden')}</span>
                ) : (
                  call.followups.map((f) => (
                    <div key={f.id}>{f.shredded ? t('calls.shredded') : `${f.name} ${f.howToReach} — ${f.offered}`}</div>
                  ))
                )}
              </td>
              {renderActions && <td>{renderActions(call)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
