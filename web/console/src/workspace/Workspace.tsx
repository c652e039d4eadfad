import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskOut } from '../../../../src/http/routes/operations/campaigns.routes';
import { api, ApiError, type Me } from '../api';
import { useConsoleSettings } from '../settings';
import { ErrorText } from '../pages/ErrorText';
import { listenToSoftphone, softphoneDialer } from '../softphone/workspace-bridge';
import { CallBar } from './CallBar';
import { CallForm, withEditorOpen } from './CallForm';
import { focusId } from './focus';
import { IdleScreen } from './IdleScreen';
import { draftTaskOf } from './MyNumbers';
import { useWorkspaceShortcuts } from './shortcuts';
import { useCall } from './use-call';
import { useNumberCheck } from './use-number-check';

/** The call workspace: one call from dialing (or the ring) to saved, every action on a key. */
export function Workspace({ me }: { me: Me }) {
  const { t } = useTranslation();
  const call = useCall(me);
  const { draft, draftRef, update, start, answered, endCall, save, saving, saveError, saved, nextCall, drop, parked, resume } = call;
  const settings = useConsoleSettings();
  const [problem, setProblem] = useState<string | undefined>();
  /** A claimed number to dial by hand (no softphone here): shown only while it rings, never stored. */
  const [dialByHand, setDialByHand] = useState<string | undefined>();
  const [refresh, setRefresh] = useState(0);
  const numberRefused = useNumberCheck(draft, update);

  const startCall = useCallback(
    (how: Parameters<typeof start>[0], options?: Parameters<typeof start>[1]) => {
      const started = start(how, options);
      if (!started) return;
      setProblem(undefined);
      focusId(how.direction === 'inbound' ? 'btn-add-person' : 'btn-answered');
    },
    [start],
  );

  /** Calls a claimed number: through the softphone when there is one, else revealed to dial by hand. */
  const callTask = useCallback(
    async (task: TaskOut) => {
      const dial = softphoneDialer();
      if (dial) {
        dial(draftTaskOf(task));
        return;
      }
      const { number } = await api<{ taskId: string; number: string }>('POST', `/api/operations/tasks/${encodeURIComponent(task.id)}/dial`);
      setDialByHand(number);
      startCall({ direction: 'outbound', task: draftTaskOf(task) });
    },
    [startCall],
  );

  const markAnswered = useCallback(() => {
    answered();
    setDialByHand(undefined);
    focusId('btn-add-person');
  }, [answered]);
  const markEnded = useCallback(() => {
    endCall();
    setDialByHand(undefined);
    focusId('btn-save');
  }, [endCall]);
  const saveCall = useCallback(async () => {
    if (await save()) {
      setDialByHand(undefined);
      setRefresh((n) => n + 1);
      focusId('btn-new-call');
    }
  }, [save]);
  const openEditor = useCallback(
    (kind: 'person' | 'group') => {
      update((d) => withEditorOpen(d, kind));
      setProblem(undefined);
      focusId('reg-name');
    },
    [update],
  );
  const discard = useCallback(() => {
    if (!draftRef.current || !window.confirm(t('call.discardConfirm'))) return;
    drop();
    setDialByHand(undefined);
    focusId('phone');
  }, [draftRef, drop, t]);
  const leaveSaved = useCallback(() => {
    nextCall();
    focusId('phone');
  }, [nextCall]);

  // A real call on the softphone starts, answers and ends the call record here.
  useEffect(
    () =>
      listenToSoftphone((event) => {
        // A call on the phone is real: it gets a record even when an earlier one is still on screen.
        const setAside = { setAsideCurrent: true };
        if (event.type === 'dialing')
          startCall({ direction: 'outbound', ...(event.task ? { task: event.task } : {}), ...(event.telephonyCallId ? { telephonyCallId: event.telephonyCallId } : {}) }, setAside);
        else if (event.type === 'answered' && event.direction === 'inbound')
          startCall({ direction: 'inbound', ...(event.telephonyCallId ? { telephonyCallId: event.telephonyCallId } : {}) }, setAside);
        else if (event.type === 'answered') markAnswered();
        else markEnded();
      }),
    [startCall, markAnswered, markEnded],
  );

  useWorkspaceShortcuts({
    draft: () => draftRef.current,
    hasSaved: saved !== undefined,
    update,
    startOutbound: () => document.getElementById('btn-start-outbound')?.click(),
    startInbound: () => {
      startCall({ direction: 'inbound' });
    },
    nextCall: leaveSaved,
    answered: markAnswered,
    endCall: markEnded,
    save: () => void saveCall(),
    openEditor,
  });

  if (!draft)
    return (
      <IdleScreen
        saved={saved}
        parked={parked}
        onNext={leaveSaved}
        onStart={startCall}
        onCallTask={callTask}
        onResume={resume}
        refresh={refresh}
        canClaim={me.user.role !== 'auditor'}
      />
    );

  return (
    <div className="workspace">
      <CallBar
        draft={draft}
        dialByHand={dialByHand}
        hotlineNumber={settings?.hotlineNumber ?? null}
        saving={saving}
        onAnswered={markAnswered}
        onEnd={markEnded}
        onSave={() => void saveCall()}
        onDiscard={discard}
      />
      {saveError !== null &&
        (saveError instanceof ApiError && saveError.code === 'NETWORK' ? (
          <p className="error" role="alert">
            {t('call.offline')}
          </p>
        ) : saveError instanceof ApiError && saveError.code === 'CALL_LOCKED' ? (
          <div className="error" role="alert">
            <p>{t('call.lockedDraft')}</p>
            <button type="button" onClick={drop}>
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
      <CallForm draft={draft} update={update} problem={problem} setProblem={setProblem} openEditor={openEditor} />
    </div>
  );
}
