import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CallOutcome } from '../../../../src/shared/schemas/calls';
import { api, type Me } from '../api';
import { type CallView, CallTable } from './call-view';
import { ErrorText } from './ErrorText';

/** The volunteer's own calls; editable for 24 hours, then locked. */
export function MyCalls(_props: { me: Me }) {
  const { t } = useTranslation();
  const [calls, setCalls] = useState<CallView[]>([]);
  const [editing, setEditing] = useState<{ id: string; outcome: string; notes: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ calls: CallView[] }>('GET', '/api/calls/mine')
      .then((result) => {
        setCalls(result.calls);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const saveEdit = async () => {
    if (!editing) return;
    try {
      await api('PATCH', `/api/calls/${editing.id}`, { outcome: editing.outcome, notes: editing.notes });
      setEditing(null);
      load();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section className="card wide">
      <h1>{t('nav.myCalls')}</h1>
      <p className="muted">{t('calls.editWindow')}</p>
      <ErrorText error={error} />
      {editing && (
        <form
          className="editor"
          onSubmit={(event) => {
            event.preventDefault();
            void saveEdit();
          }}
        >
          <label>
            {t('outcome.label')}
            <select
              autoFocus
              value={editing.outcome}
              onChange={(e) => {
                setEditing({ ...editing, outcome: e.target.value });
              }}
            >
              {CallOutcome.options.map((o) => (
                <option key={o} value={o}>
                  {t(`outcome.${o}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('notes.label')}
            <textarea
              rows={3}
              maxLength={20000}
              value={editing.notes}
              onChange={(e) => {
                setEditing({ ...editing, notes: e.target.value });
              }}
            />
          </label>
          <div className="row">
            <button type="submit" className="primary">
              {t('common.save')}
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(null);
              }}
            >
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <CallTable
        calls={calls}
        renderActions={(call) =>
          call.editable ? (
            <button
              type="button"
              className="small"
              onClick={() => {
                setEditing({ id: call.id, outcome: call.outcome, notes: call.notes ?? '' });
              }}
            >
              {t('calls.edit')}
            </button>
          ) : (
            <span className="muted">🔒 {t('calls.locked')}</span>
          )
        }
      />
    </section>
  );
}
