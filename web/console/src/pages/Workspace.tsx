import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { suggestPseudonym } from '../../../../src/shared/pseudonym';
import { CALL_OUTCOMES } from '../../../../src/shared/schemas/values';
import type { Organization } from '../../../../src/shared/schemas/statement-basics';
import { api, ApiError, type Me } from '../api';
import { listenToSoftphone } from '../softphone/workspace-bridge';
import {
  type CallDraft,
  clearDraft,
  loadDraft,
  newClientId,
  newRegistration,
  peopleOf,
  type RegistrationDraft,
  registrationProblem,
  saveInputOf,
  storeDraft,
} from '../draft';
import { maskPhone, parsePhone } from '../phone';
import { HandedOutFields, WhoAnsweredFields } from './CallFacts';
import { ErrorText } from './ErrorText';
import { Kbd } from './Kbd';
import { LockIcon } from './LockIcon';
import { RegistrationEditor } from './RegistrationEditor';
import { type Saved, SavedPanel, type SaveResult } from './SavedPanel';
import { Shortcuts } from './Shortcuts';
import { TalkingPoints } from './TalkingPoints';

/** What the server says about the number of a call being started (it alone has the full plan and the geo data). */
interface NumberInfo {
  masked: string;
  region: { code: string; name: Record<string, string> } | null;
}

/** How long the workspace waits for the server's check of a number before it gives up. */
const NUMBER_CHECK_TIMEOUT_MS = 5000;

async function checkNumber(e164: string): Promise<NumberInfo | ApiError | undefined> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, NUMBER_CHECK_TIMEOUT_MS));
  const check = api<NumberInfo>('POST', '/api/calls/number-info', { phone: e164 }).catch((error: unknown) =>
    error instanceof ApiError && error.code !== 'NETWORK' ? error : undefined,
  );
  return Promise.race([check, timeout]);
}

/**
 * Focuses an element now if it exists, else as soon as React has mounted it: React commits a
 * keyboard event's update in a microtask queued before ours, so a key typed right after an Alt
 * shortcut lands in the new field, not the old one. The next paint is a last resort.
 */
let focusRequests = 0;

function focusId(id: string): void {
  const request = ++focusRequests;
  document.getElementById(id)?.focus();
  const focusedNow = document.activeElement;
  const attempt = () => {
    // A later shortcut, or the volunteer's own Tab, decides where focus goes: a late attempt of an
    // earlier shortcut must not pull it back (on a slow machine the next paint comes late).
    if (request !== focusRequests) return;
    if (document.activeElement !== focusedNow && document.activeElement !== document.body) return;
    const element = document.getElementById(id);
    if (element && document.activeElement !== element && !element.contains(document.activeElement)) element.focus();
  };
  queueMicrotask(attempt);
  requestAnimationFrame(attempt);
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

  // The server checks the number with the full numbering plan and says where it rings. The call
  // starts at once without waiting (a volunteer types Enter, Alt+A in a blink); a draft restored
  // without a region (started offline) is checked again when the page loads.
  const [numberRefused, setNumberRefused] = useState(false);
  const checkedPhone = useRef<string | undefined>(undefined);
  const draftPhone = draft?.phone ?? '';
  const draftHasRegion = draft?.region !== undefined;
  useEffect(() => {
    if (draftPhone === '' || draftHasRegion || checkedPhone.current === draftPhone) return;
    checkedPhone.current = draftPhone;
    void checkNumber(draftPhone).then((info) => {
      if (info instanceof ApiError) {
        if (info.code !== 'VALIDATION_FAILED') return;
        // Kept, it would make the save fail at the end of the call: the call goes on without it.
        update((d) => (d.phone === draftPhone ? { ...d, phone: '' } : d));
        setNumberRefused(true);
        return;
      }
      const region = info?.region;
      if (region) update((d) => (d.phone === draftPhone ? { ...d, region } : d));
    });
  }, [draftPhone, draftHasRegion, update]);

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
      const parsed = phone.trim() === '' ? undefined : parsePhone(phone);
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
      // Starting another call means the last one's codes were read out.
      if (saved) void api('POST', `/api/calls/${saved.result.callId}/receipts-read`).catch(() => undefined);
      setSaved(undefined);
      setProblem(undefined);
      setNumberRefused(false);
      setPhone('');
      focusId(direction === 'inbound' ? 'btn-add-person' : 'btn-answered');
    },
    [me.user.id, phone, saved],
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

  /**
   * Leaves the saved call: its receipt codes have been read out, so the server may shred the copy
   * it kept for a retried save (if this request is lost, the copy expires within a day anyway).
   */
  const nextCall = useCallback(() => {
    if (saved) void api('POST', `/api/calls/${saved.result.callId}/receipts-read`).catch(() => undefined);
    setSaved(undefined);
    focusId('phone');
  }, [saved]);

  /** The server refused a retried draft because the call it saved is locked: drop this copy. */
  const dropLockedDraft = useCallback(() => {
    const current = draftRef.current;
    if (!current) return;
    clearDraft(current);
    draftRef.current = undefined;
    setDraftState(undefined);
    setSaveError(null);
    focusId('phone');
  }, []);

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
              if (saved) nextCall();
              else start('outbound');
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
  }, [answered, endCall, openEditor, save, start, update, saved, nextCall]);

  if (!draft) {
    return (
      <div className="workspace idle">
        {saved && <SavedPanel saved={saved} onNext={nextCall} />}
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

  const region = draft.region?.name[i18n.language] ?? draft.region?.name.en;
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
        ) : saveError instanceof ApiError && saveError.code === 'CALL_LOCKED' ? (
          <div className="error" role="alert">
            <p>{t('call.lockedDraft')}</p>
            <button type="button" onClick={dropLockedDraft}>
              {t('call.dropLockedDraft')}
            </button>
          </div>
        ) : (
          <ErrorText error={saveError} />
        ))}
      {numberRefused && (
        <p className="error" role="alert">
          {t('call.numberRefused')}
        </p>
      )}
      <p className="muted draft-note" data-testid="draft-note">
        {t('call.draftKept')}
      </p>

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
