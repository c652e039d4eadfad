import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { suggestPseudonym } from '../../../../src/shared/pseudonym';
import type { EditCallInput } from '../../../../src/shared/schemas/calls';
import { CALL_OUTCOMES } from '../../../../src/shared/schemas/values';
import type { Occupation } from '../../../../src/shared/schemas/statement-basics';
import { api, type Me } from '../api';
import { newRegistration, type RegistrationDraft, registrationInputOf, registrationProblem } from '../draft';
import { type CallView, CallTable } from './call-view';
import { type HandedOutValue, HandedOutFields, type WhoAnswered, WhoAnsweredFields } from './CallFacts';
import { ErrorText } from './ErrorText';
import { LockIcon } from './LockIcon';
import { RegistrationEditor } from './RegistrationEditor';

/** The correction form of one call, while it is still editable. */
interface Correction extends WhoAnswered, HandedOutValue {
  id: string;
  outcome: string;
  notes: string;
  editableUntil: number;
  /** The call's times as `<input type="datetime-local">` values in the viewer's zone ('' for none). */
  startedAt: string;
  answeredAt: string;
  endedAt: string;
  /** The same as they were, to send only what the volunteer changed. */
  timesBefore: [string, string, string];
  /** People forgotten during the call, added now. */
  added: RegistrationDraft[];
  editing?: RegistrationDraft;
}

/** A time as an `<input type="datetime-local">` value (to the second) in the viewer's own zone. */
export function localInputValue(ms: number | null): string {
  if (ms === null) return '';
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** An `<input type="datetime-local">` value back to milliseconds (undefined when empty or unreadable). */
export function fromLocalInput(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

function correctionOf(call: CallView): Correction {
  const times: [string, string, string] = [localInputValue(call.startedAt), localInputValue(call.answeredAt), localInputValue(call.endedAt)];
  return {
    startedAt: times[0],
    answeredAt: times[1],
    endedAt: times[2],
    timesBefore: times,
    id: call.id,
    outcome: call.outcome,
    notes: call.notes ?? '',
    orgType: (call.orgType ?? '') as Correction['orgType'],
    occupation: (call.occupation ?? '') as Occupation | '',
    listeners: call.listeners === null ? '' : String(call.listeners),
    ...call.handedOut,
    editableUntil: call.editableUntil,
    added: [],
  };
}

/**
 * The volunteer's own calls. For 24 hours after saving, a call can be corrected: who answered, what
 * was handed out, outcome, notes, and people forgotten during the call (each gets a receipt code).
 * Registrations already saved are statements of the registry, corrected through moderation.
 */
export function MyCalls(_props: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [calls, setCalls] = useState<CallView[]>([]);
  const [editing, setEditing] = useState<Correction | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const [codes, setCodes] = useState<{ name: string; code: string | null }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ calls: CallView[] }>('GET', '/api/calls/mine')
      .then((result) => {
        setCalls(result.calls);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  const saveEdit = async () => {
    if (!editing) return;
    setError(null);
    const listeners = Number.parseInt(editing.listeners, 10);
    const body: EditCallInput = {
      outcome: editing.outcome as EditCallInput['outcome'],
      notes: editing.notes,
      orgType: editing.orgType === '' ? null : editing.orgType,
      occupation: editing.occupation === '' ? null : editing.occupation,
      listeners: Number.isFinite(listeners) ? listeners : null,
      handedOut: {
        hotlineNumberGiven: editing.hotlineNumberGiven,
        circumventionTool: editing.circumventionTool,
        materialsRequested: editing.materialsRequested,
      },
      registrations: editing.added.map(registrationInputOf),
      ...timeChanges(editing),
    };
    try {
      const result = await api<{ registrations: { clientId: string; receiptCode: string | null }[] }>(
        'PATCH',
        `/api/calls/${editing.id}`,
        body,
      );
      const names = Object.fromEntries(editing.added.map((r) => [r.clientId, r.name]));
      setCodes(result.registrations.map((r) => ({ name: names[r.clientId] ?? '', code: r.receiptCode })));
      setEditing(null);
      load();
    } catch (caught) {
      setError(caught);
    }
  };

  /** Only the times the volunteer changed are sent (each change is audited). */
  const timeChanges = (c: Correction): Pick<EditCallInput, 'startedAt' | 'answeredAt' | 'endedAt'> => {
    const [started, answered, ended] = c.timesBefore;
    return {
      ...(c.startedAt !== started && fromLocalInput(c.startedAt) !== undefined ? { startedAt: fromLocalInput(c.startedAt) } : {}),
      ...(c.answeredAt !== answered ? { answeredAt: fromLocalInput(c.answeredAt) ?? null } : {}),
      ...(c.endedAt !== ended && fromLocalInput(c.endedAt) !== undefined ? { endedAt: fromLocalInput(c.endedAt) } : {}),
    };
  };

  const addPerson = () => {
    if (!editing?.editing) return;
    const why = registrationProblem(editing.editing);
    if (why) {
      setProblem(why);
      return;
    }
    setProblem(undefined);
    const { editing: done, ...rest } = editing;
    setEditing({ ...rest, added: [...editing.added, done] });
  };

  return (
    <section className="card wide">
      <h1>{t('nav.myCalls')}</h1>
      <p className="muted">{t('calls.editWindow')}</p>
      <ErrorText error={error} />
      {codes.length > 0 && (
        <div className="card saved" data-testid="added-codes" role="status">
          <p>{t('calls.addedCodes')}</p>
          <ul className="receipts">
            {codes.map((c) => (
              <li key={c.name}>
                {c.name} · {c.code ? <code className="receipt">{c.code}</code> : <span className="muted">{t('saved.codeGone')}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {editing && (
        // Not a <form>: the person editor inside is one, and forms must not nest.
        <section className="editor" role="form" aria-label={t('calls.correctTitle')}>
          <h2>{t('calls.correctTitle')}</h2>
          <p className="muted">{t('calls.editableUntil', { time: time.format(editing.editableUntil) })}</p>
          <h3>{t('calls.timesTitle')}</h3>
          <p className="muted">{t('calls.timesHelp')}</p>
          <div className="row wrap">
            {(['startedAt', 'answeredAt', 'endedAt'] as const).map((field) => (
              <label key={field}>
                {t(`calls.times.${field}`)}
                <input
                  id={`edit-${field}`}
                  type="datetime-local"
                  step={1}
                  value={editing[field]}
                  onChange={(e) => {
                    setEditing({ ...editing, [field]: e.target.value });
                  }}
                />
              </label>
            ))}
          </div>
          <h3>{t('who.title')}</h3>
          <WhoAnsweredFields
            idPrefix="edit-"
            value={editing}
            onChange={(patch) => {
              setEditing({ ...editing, ...patch });
            }}
          />
          <h3>{t('handed.title')}</h3>
          <HandedOutFields
            idPrefix="edit-"
            value={editing}
            onChange={(patch) => {
              setEditing({ ...editing, ...patch });
            }}
          />
          <div className="row wrap">
            <label>
              {t('outcome.label')}
              <select
                id="edit-outcome"
                value={editing.outcome}
                onChange={(e) => {
                  setEditing({ ...editing, outcome: e.target.value });
                }}
              >
                {CALL_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`outcome.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="grow">
              {t('notes.label')}
              <textarea
                id="edit-notes"
                rows={3}
                maxLength={20000}
                value={editing.notes}
                onChange={(e) => {
                  setEditing({ ...editing, notes: e.target.value });
                }}
              />
            </label>
          </div>
          <h3>{t('calls.addForgotten')}</h3>
          <p className="muted">{t('calls.registrationsViaModeration')}</p>
          {editing.added.length > 0 && (
            <ul className="registrations">
              {editing.added.map((r) => (
                <li key={r.clientId}>
                  <strong>{r.name}</strong>{' '}
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      setEditing({ ...editing, added: editing.added.filter((x) => x.clientId !== r.clientId) });
                    }}
                  >
                    {t('common.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {editing.editing ? (
            <RegistrationEditor
              value={editing.editing}
              problem={problem}
              onChange={(next) => {
                setEditing({ ...editing, editing: next });
              }}
              onAdd={addPerson}
              onCancel={() => {
                const { editing: _gone, ...rest } = editing;
                setEditing(rest);
              }}
              onSuggest={() => {
                if (editing.editing)
                  setEditing({ ...editing, editing: { ...editing.editing, nameKind: 'pseudonym', name: suggestPseudonym().name } });
              }}
            />
          ) : (
            <div className="row">
              <button
                type="button"
                onClick={() => {
                  setEditing({ ...editing, editing: newRegistration('person') });
                }}
              >
                {t('reg.addPerson')}
              </button>
              <button
                type="button"
                onClick={() => {
                  setEditing({ ...editing, editing: newRegistration('group') });
                }}
              >
                {t('reg.addGroup')}
              </button>
            </div>
          )}
          <div className="row">
            <button type="button" className="primary" disabled={editing.editing !== undefined} onClick={() => void saveEdit()}>
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
        </section>
      )}
      <CallTable
        calls={calls}
        renderActions={(call) =>
          call.editable ? (
            <button
              type="button"
              className="small"
              onClick={() => {
                setCodes([]);
                setProblem(undefined);
                setEditing(correctionOf(call));
              }}
            >
              {t('calls.edit')}
            </button>
          ) : (
            <span className="muted" title={t('calls.lockedWhy')}>
              <LockIcon /> {t('calls.lockedSince', { time: time.format(call.editableUntil) })}
            </span>
          )
        }
      />
    </section>
  );
}
