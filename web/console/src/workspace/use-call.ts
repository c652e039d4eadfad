import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveCallOut } from '../../../../src/http/routes/calls';
import { api, ApiError, type Me } from '../api';
import {
  type CallDraft,
  clearDraft,
  DRAFT_REPLACED_EVENT,
  type DraftTask,
  loadDraft,
  newDraft,
  parkDraft,
  parkedDrafts,
  resumeDraft,
  saveInputOf,
  storeDraft,
} from '../draft';
import type { Saved, SaveResult } from '../pages/SavedPanel';

/** How a call starts: who called whom, and what is known of the number. */
export interface CallStart {
  direction: 'outbound' | 'inbound';
  /** E.164 of a number typed by hand ('' when none). */
  phone?: string;
  task?: DraftTask;
  telephonyCallId?: string;
}

/** The server's record of a live call, applied to the draft: its times win over the browser's. */
export function withServerTimes(draft: CallDraft, live: LiveCallOut): CallDraft {
  return {
    ...draft,
    isLive: true,
    clockOffset: live.serverNow - Date.now(),
    startedAt: live.startedAt,
    ...(live.answeredAt !== null ? { answeredAt: live.answeredAt } : {}),
    ...(live.endedAt !== null ? { endedAt: live.endedAt } : {}),
  };
}

/** The browser's "now" in the clock the draft's times are in. */
export function draftNow(draft: CallDraft): number {
  return Date.now() + (draft.clockOffset ?? 0);
}

/**
 * One call's life in the workspace: started (on the server too, so its times are the server's),
 * answered, ended, saved. The draft is written to the browser's storage on every change and kept
 * until the server confirms the save, so a closed tab or a lost network loses nothing; requests
 * that fail for want of a network leave the browser's times in place.
 */
export function useCall(me: Me) {
  const [draft, setDraftState] = useState<CallDraft | undefined>(() => loadDraft(me.user.id));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Saved | undefined>();
  const [parked, setParked] = useState(() => parkedDrafts(me.user.id));
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

  /** Applies the server's answer to the draft it was about (the volunteer may be on another call by then). */
  const applyLive = useCallback((clientId: string, live: LiveCallOut) => {
    update((d) => (d.clientId === clientId ? withServerTimes(d, live) : d));
  }, [update]);

  // An accepted inbound call replaces the draft from the ringing banner, wherever the volunteer was.
  useEffect(() => {
    const reload = () => {
      const next = loadDraft(me.user.id);
      draftRef.current = next;
      setDraftState(next);
      setParked(parkedDrafts(me.user.id));
      setSaved(undefined);
    };
    window.addEventListener(DRAFT_REPLACED_EVENT, reload);
    return () => {
      window.removeEventListener(DRAFT_REPLACED_EVENT, reload);
    };
  }, [me.user.id]);

  const start = useCallback(
    (how: CallStart, options: { setAsideCurrent?: boolean } = {}): CallDraft | undefined => {
      const current = draftRef.current;
      if (current && !options.setAsideCurrent) return undefined;
      // A real call started on the softphone while an earlier one is still on screen: the earlier
      // one is put aside (listed between calls until saved), never lost.
      if (current) parkDraft(current);
      const now = Date.now();
      const next = newDraft({
        ownerId: me.user.id,
        direction: how.direction,
        phone: how.phone ?? '',
        status: how.direction === 'inbound' ? 'answered' : 'ringing',
        startedAt: now,
        ...(how.direction === 'inbound' ? { answeredAt: now } : {}),
        ...(how.task ? { task: how.task } : {}),
        ...(how.telephonyCallId ? { telephonyCallId: how.telephonyCallId } : {}),
      });
      storeDraft(next);
      draftRef.current = next;
      setDraftState(next);
      setParked(parkedDrafts(me.user.id));
      // Starting another call means the last one's codes were read out.
      if (saved) void api('POST', `/api/calls/${saved.result.callId}/receipts-read`).catch(() => undefined);
      setSaved(undefined);
      setSaveError(null);
      void api<LiveCallOut>('POST', '/api/calls/live', {
        clientId: next.clientId,
        direction: next.direction,
        ...(how.task ? { taskId: how.task.id } : {}),
        ...(how.telephonyCallId ? { telephonyCallId: how.telephonyCallId } : {}),
      })
        .then((live) => {
          applyLive(next.clientId, live);
        })
        .catch(() => undefined);
      return next;
    },
    [me.user.id, saved, applyLive],
  );

  /** Stamps a moment of the call in the browser now, and on the server when it keeps the call (its time wins). */
  const stamp = useCallback(
    (moment: 'answer' | 'end', applies: (d: CallDraft) => boolean, change: (d: CallDraft) => CallDraft) => {
      const current = draftRef.current;
      if (!current || !applies(current)) return;
      update(change);
      if (current.isLive)
        void api<LiveCallOut>('POST', `/api/calls/live/${current.clientId}/${moment}`)
          .then((live) => {
            applyLive(current.clientId, live);
          })
          .catch(() => undefined);
    },
    [update, applyLive],
  );
  const answered = useCallback(() => {
    stamp('answer', (d) => d.status === 'ringing', (d) => ({ ...d, status: 'answered', answeredAt: draftNow(d) }));
  }, [stamp]);
  const endCall = useCallback(() => {
    stamp('end', (d) => d.status !== 'ended', (d) => ({ ...d, status: 'ended', endedAt: draftNow(d) }));
  }, [stamp]);

  const save = useCallback(async (): Promise<boolean> => {
    const current = draftRef.current;
    if (!current || saving) return false;
    setSaving(true);
    setSaveError(null);
    try {
      const result = await api<SaveResult>('POST', '/api/calls', saveInputOf(current, draftNow(current)));
      const names = Object.fromEntries(current.registrations.map((r) => [r.clientId, r.name]));
      clearDraft(current);
      draftRef.current = undefined;
      setDraftState(undefined);
      setSaved({ result, names });
      setParked(parkedDrafts(me.user.id));
      return true;
    } catch (error) {
      setSaveError(error);
      return false;
    } finally {
      setSaving(false);
    }
  }, [saving, me.user.id]);

  /**
   * Leaves the saved call: its receipt codes have been read out, so the server may shred the copy
   * it kept for a retried save (if this request is lost, the copy expires within a day anyway).
   */
  const nextCall = useCallback(() => {
    if (saved) void api('POST', `/api/calls/${saved.result.callId}/receipts-read`).catch(() => undefined);
    setSaved(undefined);
  }, [saved]);

  /** Forgets the current draft (saved elsewhere, discarded, or refused as locked). */
  const drop = useCallback(() => {
    const current = draftRef.current;
    if (!current) return;
    clearDraft(current);
    draftRef.current = undefined;
    setDraftState(undefined);
    setSaveError(null);
    setParked(parkedDrafts(me.user.id));
  }, [me.user.id]);

  /** Opens a draft put aside earlier. */
  const resume = useCallback((which: CallDraft) => {
    if (draftRef.current) return;
    resumeDraft(which);
    draftRef.current = which;
    setDraftState(which);
    setParked(parkedDrafts(me.user.id));
  }, [me.user.id]);

  return { draft, draftRef, update, start, answered, endCall, save, saving, saveError, saved, nextCall, drop, parked, resume };
}

/**
 * Accepts a call offered by the queue from wherever the volunteer is: an unsaved draft on screen is
 * saved first (or put aside when it cannot be), then the new call becomes the workspace's draft with
 * the server's times.
 */
export async function acceptOffer(me: Me, queueCallId: string, region?: CallDraft['region']): Promise<CallDraft> {
  const previous = loadDraft(me.user.id);
  if (previous) {
    const isSaved = await api('POST', '/api/calls', saveInputOf(previous, draftNow(previous))).then(
      () => true,
      () => false,
    );
    if (isSaved) clearDraft(previous);
    else parkDraft(previous);
  }
  const draft = newDraft({ ownerId: me.user.id, direction: 'inbound', phone: '', status: 'answered', startedAt: Date.now(), answeredAt: Date.now(), ...(region ? { region } : {}) });
  try {
    const live = await api<LiveCallOut>('POST', `/api/operations/offers/${encodeURIComponent(queueCallId)}/accept`, { clientId: draft.clientId });
    const accepted = withServerTimes(draft, live);
    storeDraft(accepted);
    window.dispatchEvent(new Event(DRAFT_REPLACED_EVENT));
    return accepted;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NETWORK') {
      // The server did not answer: the call may still be connected; keep a record in the browser.
      storeDraft(draft);
      window.dispatchEvent(new Event(DRAFT_REPLACED_EVENT));
      return draft;
    }
    throw error;
  }
}
