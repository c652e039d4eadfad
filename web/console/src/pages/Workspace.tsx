import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maskPhone, parsePhoneNumber } from '../../../../src/shared/phone';
import { suggestPseudonym } from '../../../../src/shared/pseudonym';
import { regionName } from '../../../../src/shared/regions';
import { CallOutcome, OrgType } from '../../../../src/shared/schemas/calls';
import { Occupation, type Organization } from '../../../../src/shared/schemas/statements';
import { api, ApiError, type Me } from '../api';
import { listenToSoftphone } from '../softphone/workspace-bridge';
import {
  type CallDraft,
  clearDraft,
  loadDraft,
  newClientId,
  peopleOf,
  type RegistrationDraft,
  registrationProblem,
  saveInputOf,
  storeDraft,
} from '../draft';
import { ErrorText } from './ErrorText';
import { Kbd } from './Kbd';
import { RegistrationEditor } from './RegistrationEditor';
import { TalkingPoints } from './TalkingPoints';

interface SaveResult {
  callId: string;
  registrations: { clientId: string; statementId: string; people: number; receiptCode: string | null }[];
}
interface Saved {
  result: SaveResult;
  names: Record<string, string>;
}

function newRegistration(kind: 'person' | 'group'): RegistrationDraft {
  return {
    clientId: newClientId(),
    kind,
    nameKind: 'pseudonym',
    name: suggestPseudonym().name,
    organizations: [],
    counts: { party: 0, leaguePioneers: 0, league: 0, pioneers: 0 },
    consent: 'personal',
    relation: 'self',
  };
}

/** Focuses an element now if it exists, and again after the next paint in case it is being mounted. */
function focusId(id: string): void {
  document.getElementById(id)?.focus();
  requestAnimationFrame(() => {
    const element = document.getElementById(id);
    if (element && document.activeElement !== element && !element.contains(document.activeElement)) element.focus();
  });
}

function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** The call workspace: one call from dialing to saved, every action on a key. */
export function Workspace({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraftState] = useState<CallDraft | undefined>(() => loadDraft(me.user.id));
  const [phone, setPhone] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Saved | undefined>();
  const [now, setNow] = useState(() => Date.now());
  const draftRef = useRef(draft);
  draftRef.current = draft;

  /** Every change is written to the browser's storage before the screen updates. */
  const update = useCallback((change: (d: CallDraft) => CallDraft) => {
    const current = draftRef.current;
    if (!current) return;
    const next = change(current);
    storeDraft(next);
    draftRef.current = next;
    setDraftState(next);
  }, []);

  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, []);

  const start = useCallback(
    (direction: 'outbound' | 'inbound') => {
      if (draftRef.current) return;
      const parsed = phone.trim() === '' ? undefined : parsePhoneNumber(phone);
      if (parsed && !parsed.ok) {
        setProblem(`phone.${parsed.reason}`);
        return;
      }
      const next: CallDraft = {
        version: 1,
        clientId: newClientId(),
        ownerId: me.user.id,
        direction,
        phone: parsed?.ok ? parsed.e164 : '',
        status: direction === 'inbound' ? 'answered' : 'ringing',
        startedAt: Date.now(),
        ...(direction === 'inbound' ? { answeredAt: Date.now() } : {}),
        orgType: '',
        occupation: '',
        listeners: '',
        outcome: '',
        notes: '',
        hotlineNumberGiven: false,
        circumventionTool: '',
        materialsRequested: false,
        registrations: [],
        followups: [],
      };
      storeDraft(next);
      draftRef.current = next;
      setDraftState(next);
      setSaved(undefined);
      setProblem(undefined);
      setPhone('');
      focusId(direction === 'inbound' ? 'btn-add-person' : 'btn-answered');
    },
    [me.user.id, phone],
  );

  const answered = useCallback(() => {
    update((d) => (d.status === 'ringing' ? { ...d, status: 'answered', answeredAt: Date.now() } : d));
    focusId('btn-add-person');
  }, [update]);
  const endCall = useCallback(() => {
    update((d) => (d.status === 'ended' ? d : { ...d, status: 'ended', endedAt: Date.now() }));
    focusId('btn-save');
  }, [update]);

  const openEditor = useCallback(
    (kind: 'person' | 'group') => {
      update((d) => ({ ...d, editing: d.editing ?? newRegistration(kind) }));
      setProblem(undefined);
      focusId('reg-name');
    },
    [update],
  );

  const addEditing = useCallback(() => {
    const current = draftRef.current?.editing;
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
  }, [update]);

  const save = useCallback(async () => {
    const current = draftRef.current;
    if (!current || saving) return;
    setSaving(true);
    setSaveError(null);
    try {
      const result = await api<SaveResult>('POST', '/api/calls', saveInputOf(current, Date.now()));
      const names = Object.fromEntries(current.registrations.map((r) => [r.clientId, r.name]));
      clearDraft(current);
      draftRef.current = undefined;
      setDraftState(undefined);
      setSaved({ result, names });
      focusId('btn-new-call');
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  }, [saving]);

  const discard = useCallback(() => {
    const current = draftRef.current;
    if (!current || !window.confirm(t('call.discardConfirm'))) return;
    clearDraft(current);
    draftRef.current = undefined;
    setDraftState(undefined);
    focusId('phone');
  }, [t]);

  // A real call on the softphone starts, answers and ends the call record here.
  useEffect(
    () =>
      listenToSoftphone((event) => {
        if (event.type === 'dialing') start('outbound');
        else if (event.type === 'answered' && event.direction === 'inbound') start('inbound');
        else if (event.type === 'answered') answered();
        else endCall();
      }),
    [start, answered, endCall],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const d = draftRef.current;
      if (event.ctrlKey && event.key === 'Enter' && d) {
        event.preventDefault();
        void save();
        return;
      }
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const editing = d?.editing;
      const act = (fn: () => void) => {
        event.preventDefault();
        fn();
      };
      switch (event.code) {
        case 'KeyN':
          if (!d)
            act(() => {
              if (saved) {
                setSaved(undefined);
                focusId('phone');
              } else start('outbound');
            });
          return;
        case 'KeyI':
          if (!d)
            act(() => {
              start('inbound');
            });
          return;
        default:
      }
      if (!d) return;
      const toggleOrg = (org: Organization) => {
        update((x) =>
          x.editing
            ? {
                ...x,
                editing: {
                  ...x.editing,
                  organizations: x.editing.organizations.includes(org)
                    ? x.editing.organizations.filter((o) => o !== org)
                    : [...x.editing.organizations, org],
                },
              }
            : x,
        );
      };
      switch (event.code) {
        case 'KeyA': {
          act(answered);
          return;
        }
        case 'KeyX': {
          act(endCall);
          return;
        }
        case 'KeyS': {
          act(() => void save());
          return;
        }
        case 'KeyP': {
          act(() => {
            openEditor('person');
          });
          return;
        }
        case 'KeyG': {
          act(() => {
            openEditor('group');
          });
          return;
        }
        case 'KeyW': {
          act(() => {
            focusId('org-type');
          });
          return;
        }
        case 'KeyL': {
          act(() => {
            focusId('listeners');
          });
          return;
        }
        case 'KeyO': {
          act(() => {
            focusId('outcome');
          });
          return;
        }
        case 'KeyK': {
          act(() => {
            focusId('notes');
          });
          return;
        }
        case 'KeyV': {
          act(() => {
            focusId('tool');
          });
          return;
        }
        case 'KeyT': {
          act(() => {
            focusId('talking-points');
          });
          return;
        }
        case 'KeyH': {
          act(() => {
            update((x) => ({ ...x, hotlineNumberGiven: !x.hotlineNumberGiven }));
          });
          return;
        }
        case 'KeyM': {
          act(() => {
            update((x) => ({ ...x, materialsRequested: !x.materialsRequested }));
          });
          return;
        }
        case 'KeyU': {
          act(() => {
            update((x) => ({
              ...x,
              editingFollowup: x.editingFollowup ?? { clientId: newClientId(), name: '', howToReach: '', offered: '' },
            }));
            focusId('fu-reach');
          });
          return;
        }
        default:
      }
      if (!editing) return;
      switch (event.code) {
        case 'KeyR': {
          act(() => {
            update((x) =>
              x.editing
                ? {
                    ...x,
                    editing: {
                      ...x.editing,
                      nameKind: x.editing.nameKind === 'real' ? 'pseudonym' : 'real',
                      name: x.editing.nameKind === 'real' ? suggestPseudonym().name : '',
                    },
                  }
                : x,
            );
            focusId('reg-name');
          });
          return;
        }
        case 'KeyJ': {
          act(() => {
            update((x) => (x.editing ? { ...x, editing: { ...x.editing, nameKind: 'pseudonym', name: suggestPseudonym().name } } : x));
            focusId('reg-name');
          });
          return;
        }
        case 'KeyC': {
          act(() => {
            update((x) =>
              x.editing
                ? {
                    ...x,
                    editing: {
                      ...x.editing,
                      consent: x.editing.consent === 'personal' ? 'named_by_other' : 'personal',
                      relation: x.editing.relation === 'self' ? 'coworker' : x.editing.relation,
                    },
                  }
                : x,
            );
          });
          return;
        }
        case 'Digit1': {
          act(() => {
            toggleOrg('party');
          });
          return;
        }
        case 'Digit2': {
          act(() => {
            toggleOrg('league');
          });
          return;
        }
        case 'Digit3': {
          act(() => {
            toggleOrg('pioneers');
          });
          return;
        }
        default:
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [answered, endCall, openEditor, save, start, update, saved]);

  if (!draft) {
    return (
      <div className="workspace idle">
        {saved && <SavedPanel saved={saved} />}
        <section className="card narrow">
          <h1>{t('call.startTitle')}</h1>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              start('outbound');
            }}
          >
            <label>
              {t('call.number')}
              <input
                id="phone"
                autoFocus={!saved}
                inputMode="tel"
                autoComplete="off"
                maxLength={40}
                value={phone}
                onChange={(e) => {
                  setPhone(e.target.value);
                }}
                placeholder="0731 8888 1234"
              />
              <small className="muted">{t('call.numberHint')}</small>
            </label>
            {problem && (
              <p className="error" role="alert">
                {t(`call.${problem}`)}
              </p>
            )}
            <div className="row">
              <button type="submit" className="primary">
                {t('call.startOutbound')} <Kbd keys="Alt+N" />
              </button>
              <button
                type="button"
                onClick={() => {
                  start('inbound');
                }}
              >
                {t('call.takeInbound')} <Kbd keys="Alt+I" />
              </button>
            </div>
          </form>
        </section>
      </div>
    );
  }

  const parsed = draft.phone ? parsePhoneNumber(draft.phone) : undefined;
  const region = parsed?.ok && parsed.regionCode ? regionName(parsed.regionCode, i18n.language as 'en' | 'zh-Hans' | 'zh-Hant') : undefined;
  const since = draft.answeredAt ?? draft.startedAt;
  const until = draft.endedAt ?? now;
  const people = draft.registrations.reduce((sum, r) => sum + peopleOf(r), 0);

  return (
    <div className="workspace">
      <section className="callbar" aria-label={t('call.status')}>
        <span className={`status status-${draft.status}`}>{t(`call.state.${draft.status}`)}</span>
        <span className="timer" role="timer" aria-label={t('call.timer')} data-testid="timer">
          {formatDuration(until - since)}
        </span>
        <span className="number">{draft.phone ? maskPhone(draft.phone) : t(`call.direction.${draft.direction}`)}</span>
        {region && <span className="region">{region}</span>}
        <span className="spacer" />
        {draft.status === 'ringing' && (
          <button id="btn-answered" type="button" className="primary" onClick={answered}>
            {t('call.answered')} <Kbd keys="Alt+A" />
          </button>
        )}
        {draft.status !== 'ended' && (
          <button type="button" onClick={endCall}>
            {t('call.end')} <Kbd keys="Alt+X" />
          </button>
        )}
        <button
          id="btn-save"
          type="button"
          className={draft.status === 'ended' ? 'primary' : ''}
          disabled={saving}
          onClick={() => void save()}
        >
          {t('call.save')} <Kbd keys="Alt+S" />
        </button>
        <button type="button" className="link" onClick={discard}>
          {t('call.discard')}
        </button>
      </section>
      {saveError !== null &&
        (saveError instanceof ApiError && saveError.code === 'NETWORK' ? (
          <p className="error" role="alert">
            {t('call.offline')}
          </p>
        ) : (
          <ErrorText error={saveError} />
        ))}
      <p className="muted draft-note" data-testid="draft-note">
        {t('call.draftKept')}
      </p>

      <div className="columns">
        <div className="main-column">
          <section className="card" aria-labelledby="who-title">
            <h2 id="who-title">{t('who.title')}</h2>
            <div className="row wrap">
              <label>
                <span>
                  {t('who.orgType')} <Kbd keys="Alt+W" />
                </span>
                <select
                  id="org-type"
                  value={draft.orgType}
                  onChange={(e) => {
                    update((d) => ({ ...d, orgType: e.target.value as CallDraft['orgType'] }));
                  }}
                >
                  <option value="">—</option>
                  {OrgType.options.map((o) => (
                    <option key={o} value={o}>
                      {t(`orgType.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('who.occupation')}
                <select
                  id="occupation"
                  value={draft.occupation}
                  onChange={(e) => {
                    update((d) => ({ ...d, occupation: e.target.value as CallDraft['occupation'] }));
                  }}
                >
                  <option value="">—</option>
                  {Occupation.options.map((o) => (
                    <option key={o} value={o}>
                      {t(`occupation.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="count">
                <span>
                  {t('who.listeners')} <Kbd keys="Alt+L" />
                </span>
                <input
                  id="listeners"
                  inputMode="numeric"
                  maxLength={4}
                  value={draft.listeners}
                  onChange={(e) => {
                    update((d) => ({ ...d, listeners: e.target.value.replace(/\D/g, '') }));
                  }}
                />
              </label>
            </div>
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
            <div className="row wrap">
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.hotlineNumberGiven}
                  onChange={(e) => {
                    update((d) => ({ ...d, hotlineNumberGiven: e.target.checked }));
                  }}
                />
                {t('handed.hotline')} <Kbd keys="Alt+H" />
              </label>
              <label>
                <span>
                  {t('handed.tool')} <Kbd keys="Alt+V" />
                </span>
                <input
                  id="tool"
                  list="tools"
                  maxLength={60}
                  value={draft.circumventionTool}
                  onChange={(e) => {
                    update((d) => ({ ...d, circumventionTool: e.target.value }));
                  }}
                />
                <datalist id="tools">
                  {['Freegate', 'Ultrasurf', 'Shadowsocks', 'V2Ray', 'Tor'].map((tool) => (
                    <option key={tool} value={tool} />
                  ))}
                </datalist>
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.materialsRequested}
                  onChange={(e) => {
                    update((d) => ({ ...d, materialsRequested: e.target.checked }));
                  }}
                />
                {t('handed.materials')} <Kbd keys="Alt+M" />
              </label>
            </div>
          </section>

          <section className="card" aria-labelledby="fu-title">
            <h2 id="fu-title">{t('followup.title')}</h2>
            <p className="muted">{t('followup.intro')}</p>
            {draft.followups.map((f) => (
              <p key={f.clientId} className="followup">
                🔒 {f.name || t('followup.unnamed')} · {t('followup.recorded')}
              </p>
            ))}
            {draft.editingFollowup ? (
              <form
                className="editor"
                onSubmit={(event) => {
                  event.preventDefault();
                  const f = draftRef.current?.editingFollowup;
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
                  {CallOutcome.options.map((o) => (
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
            </div>
          </section>
        </div>
        <aside className="side-column">
          <TalkingPoints />
          <Shortcuts />
        </aside>
      </div>
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

function SavedPanel({ saved }: { saved: Saved }) {
  const { t } = useTranslation();
  return (
    <section className="card saved" aria-labelledby="saved-title" data-testid="saved">
      <h1 id="saved-title">{t('saved.title')}</h1>
      {saved.result.registrations.length > 0 && <p>{t('saved.readOut')}</p>}
      <ul className="receipts">
        {saved.result.registrations.map((r) => (
          <li key={r.clientId}>
            <span>{saved.names[r.clientId]}</span> · {t('reg.people', { count: r.people })} ·{' '}
            {r.receiptCode ? <code className="receipt">{r.receiptCode}</code> : <span className="muted">{t('saved.issuedBefore')}</span>}
          </li>
        ))}
      </ul>
      <button id="btn-new-call" type="button" className="primary" onClick={() => document.getElementById('phone')?.focus()}>
        {t('saved.next')} <Kbd keys="Alt+N" />
      </button>
    </section>
  );
}

function Shortcuts() {
  const { t } = useTranslation();
  const list: [string, string][] = [
    ['Alt+A', 'call.answered'],
    ['Alt+X', 'call.end'],
    ['Alt+S', 'call.save'],
    ['Alt+P', 'reg.addPerson'],
    ['Alt+G', 'reg.addGroup'],
    ['Alt+R', 'shortcut.realName'],
    ['Alt+J', 'reg.suggest'],
    ['Alt+1/2/3', 'reg.organizations'],
    ['Alt+C', 'reg.namedByOther'],
    ['Alt+W', 'who.orgType'],
    ['Alt+L', 'who.listeners'],
    ['Alt+H', 'handed.hotline'],
    ['Alt+V', 'handed.tool'],
    ['Alt+M', 'handed.materials'],
    ['Alt+U', 'followup.open'],
    ['Alt+O', 'outcome.label'],
    ['Alt+K', 'notes.label'],
    ['Alt+T', 'script.title'],
  ];
  return (
    <section className="card shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t('shortcut.title')}</h2>
      <dl>
        {list.map(([keys, label]) => (
          <div key={keys}>
            <dt>
              <kbd className="kbd">{keys}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
