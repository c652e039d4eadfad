import { useTranslation } from 'react-i18next';
import { suggestPseudonym } from '../../../../src/shared/pseudonym';
import { CALL_OUTCOMES } from '../../../../src/shared/schemas/values';
import { type CallDraft, newClientId, newRegistration, peopleOf, type RegistrationDraft, registrationProblem } from '../draft';
import { HandedOutFields, WhoAnsweredFields } from '../pages/CallFacts';
import { Kbd } from '../pages/Kbd';
import { LockIcon } from '../pages/LockIcon';
import { RegistrationEditor } from '../pages/RegistrationEditor';
import { Shortcuts } from '../pages/Shortcuts';
import { TalkingPoints } from '../pages/TalkingPoints';
import { focusId } from './focus';

/** Opens the registration editor (a person or a group) in a draft. */
export function withEditorOpen(d: CallDraft, kind: 'person' | 'group'): CallDraft {
  return { ...d, editing: d.editing ?? newRegistration(kind) };
}

/**
 * The body of a call in progress: who answered, the people registered (one by one or as a group),
 * what was handed out, follow-up contacts, outcome and notes, with the talking points beside.
 */
export function CallForm(props: {
  draft: CallDraft;
  update: (change: (d: CallDraft) => CallDraft) => void;
  problem: string | undefined;
  setProblem: (problem: string | undefined) => void;
  openEditor: (kind: 'person' | 'group') => void;
}) {
  const { t } = useTranslation();
  const { draft, update, problem, setProblem, openEditor } = props;
  const people = draft.registrations.reduce((sum, r) => sum + peopleOf(r), 0);
  const addEditing = () => {
    const current = draft.editing;
    if (!current) return;
    const why = registrationProblem(current);
    if (why) {
      setProblem(why);
      return;
    }
    setProblem(undefined);
    update((d) => {
      const { editing: _done, ...rest } = d;
      return { ...rest, registrations: [...d.registrations, current], outcome: d.outcome === '' ? 'registered' : d.outcome };
    });
    focusId('btn-add-person');
  };
  return (
      <div className="columns">
        <div className="main-column">
          <section className="card" aria-labelledby="who-title">
            <h2 id="who-title">{t('who.title')}</h2>
            <WhoAnsweredFields
              value={draft}
              onChange={(patch) => {
                update((d) => ({ ...d, ...patch }));
              }}
            />
          </section>

          <section className="card" aria-labelledby="reg-title">
            <h2 id="reg-title">
              {t('reg.title')}{' '}
              <span className="badge" data-testid="people-count">
                {t('reg.people', { count: people })}
              </span>
            </h2>
            {draft.registrations.length > 0 && (
              <ul className="registrations">
                {draft.registrations.map((r) => (
                  <li key={r.clientId}>
                    <strong>{r.name}</strong>{' '}
                    <span className="muted">{r.nameKind === 'real' ? t('reg.kind.real') : t('reg.kind.pseudonym')}</span> ·{' '}
                    {describeCohorts(r, t)}
                    {r.consent === 'named_by_other' && (
                      <span className="muted"> · {t('reg.namedBy', { relation: t(`relation.${r.relation}`) })}</span>
                    )}
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        update((d) => ({ ...d, registrations: d.registrations.filter((x) => x.clientId !== r.clientId) }));
                      }}
                    >
                      {t('common.remove')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {draft.editing ? (
              <RegistrationEditor
                value={draft.editing}
                problem={problem}
                onChange={(next) => {
                  update((d) => ({ ...d, editing: next }));
                }}
                onAdd={addEditing}
                onCancel={() => {
                  update((d) => {
                    const { editing: _gone, ...rest } = d;
                    return rest;
                  });
                  focusId('btn-add-person');
                }}
                onSuggest={() => {
                  update((d) =>
                    d.editing ? { ...d, editing: { ...d.editing, nameKind: 'pseudonym', name: suggestPseudonym().name } } : d,
                  );
                }}
              />
            ) : (
              <div className="row">
                <button
                  id="btn-add-person"
                  type="button"
                  onClick={() => {
                    openEditor('person');
                  }}
                >
                  {t('reg.addPerson')} <Kbd keys="Alt+P" />
                </button>
                <button
                  type="button"
                  onClick={() => {
                    openEditor('group');
                  }}
                >
                  {t('reg.addGroup')} <Kbd keys="Alt+G" />
                </button>
              </div>
            )}
          </section>

          <section className="card" aria-labelledby="handed-title">
            <h2 id="handed-title">{t('handed.title')}</h2>
            <HandedOutFields
              value={draft}
              onChange={(patch) => {
                update((d) => ({ ...d, ...patch }));
              }}
            />
          </section>

          <section className="card" aria-labelledby="fu-title">
            <h2 id="fu-title">{t('followup.title')}</h2>
            <p className="muted">{t('followup.intro')}</p>
            {draft.followups.map((f) => (
              <p key={f.clientId} className="followup">
                <LockIcon /> {f.name || t('followup.unnamed')} · {t('followup.recorded')}
              </p>
            ))}
            {draft.editingFollowup ? (
              <form
                className="editor"
                onSubmit={(event) => {
                  event.preventDefault();
                  const f = draft.editingFollowup;
                  if (!f || f.howToReach.trim() === '') return;
                  update((d) => {
                    const { editingFollowup: _done, ...rest } = d;
                    return { ...rest, followups: [...d.followups, f] };
                  });
                  focusId('outcome');
                }}
              >
                <div className="row wrap">
                  <label>
                    {t('followup.howToReach')}
                    <input
                      id="fu-reach"
                      required
                      maxLength={200}
                      value={draft.editingFollowup.howToReach}
                      onChange={(e) => {
                        update((d) =>
                          d.editingFollowup ? { ...d, editingFollowup: { ...d.editingFollowup, howToReach: e.target.value } } : d,
                        );
                      }}
                    />
                  </label>
                  <label className="grow">
                    {t('followup.offered')}
                    <input
                      maxLength={500}
                      value={draft.editingFollowup.offered}
                      onChange={(e) => {
                        update((d) =>
                          d.editingFollowup ? { ...d, editingFollowup: { ...d.editingFollowup, offered: e.target.value } } : d,
                        );
                      }}
                    />
                  </label>
                  <label>
                    {t('followup.name')}
                    <input
                      maxLength={100}
                      value={draft.editingFollowup.name}
                      onChange={(e) => {
                        update((d) => (d.editingFollowup ? { ...d, editingFollowup: { ...d.editingFollowup, name: e.target.value } } : d));
                      }}
                    />
                  </label>
                </div>
                <button type="submit" className="primary">
                  {t('followup.add')} <Kbd keys="Enter" />
                </button>
              </form>
            ) : (
              <button
                type="button"
                onClick={() => {
                  update((x) => ({ ...x, editingFollowup: { clientId: newClientId(), name: '', howToReach: '', offered: '' } }));
                  focusId('fu-reach');
                }}
              >
                {t('followup.open')} <Kbd keys="Alt+U" />
              </button>
            )}
          </section>

          <section className="card" aria-labelledby="outcome-title">
            <h2 id="outcome-title">{t('outcome.title')}</h2>
            <div className="row wrap">
              <label>
                <span>
                  {t('outcome.label')} <Kbd keys="Alt+O" />
                </span>
                <select
                  id="outcome"
                  value={draft.outcome}
                  onChange={(e) => {
                    update((d) => ({ ...d, outcome: e.target.value as CallDraft['outcome'] }));
                  }}
                >
                  <option value="">—</option>
                  {CALL_OUTCOMES.map((o) => (
                    <option key={o} value={o}>
                      {t(`outcome.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="grow">
                <span>
                  {t('notes.label')} <Kbd keys="Alt+K" />
                </span>
                <textarea
                  id="notes"
                  rows={3}
                  maxLength={20000}
                  value={draft.notes}
                  onChange={(e) => {
                    update((d) => ({ ...d, notes: e.target.value }));
                  }}
                />
                <small className="muted">{t('notes.hint')}</small>
              </label>
              <label className="grow">
                <span>{t('notes.quotable')}</span>
                <textarea
                  id="quotable"
                  rows={2}
                  maxLength={4000}
                  value={draft.quotable ?? ''}
                  onChange={(e) => {
                    update((d) => ({ ...d, quotable: e.target.value }));
                  }}
                />
                <small className="muted">{t('notes.quotableHint')}</small>
              </label>
            </div>
          </section>
        </div>
        <aside className="side-column">
          <TalkingPoints
            chosen={draft.scriptId === undefined ? undefined : { key: draft.scriptId, version: draft.scriptVersion ?? 0 }}
            onChoose={(script) => {
              update((d) => ({ ...d, scriptId: script.key, scriptVersion: script.version }));
            }}
          />
          <Shortcuts />
        </aside>
      </div>
  );
}

function describeCohorts(r: RegistrationDraft, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (r.kind === 'person') return r.organizations.map((o) => t(`org.${o}`)).join(' · ');
  const parts: string[] = [];
  for (const field of ['party', 'leaguePioneers', 'league', 'pioneers'] as const) {
    if (r.counts[field] > 0) parts.push(`${t(`reg.count.${field}`)} ${r.counts[field]}`);
  }
  return `${t('reg.people', { count: peopleOf(r) })}: ${parts.join(', ')}`;
}

