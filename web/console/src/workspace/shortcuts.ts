import { useEffect, useRef } from 'react';
import { suggestPseudonym } from '../../../../src/shared/pseudonym';
import type { Organization } from '../../../../src/shared/schemas/statement-basics';
import { type CallDraft, newClientId } from '../draft';
import { focusId } from './focus';

/** What the workspace's keys do. */
export interface WorkspaceActions {
  draft: () => CallDraft | undefined;
  hasSaved: boolean;
  update: (change: (d: CallDraft) => CallDraft) => void;
  startOutbound: () => void;
  startInbound: () => void;
  nextCall: () => void;
  answered: () => void;
  endCall: () => void;
  save: () => void;
  openEditor: (kind: 'person' | 'group') => void;
}

function toggleOrg(update: WorkspaceActions['update'], org: Organization): void {
  update((x) =>
    x.editing
      ? {
          ...x,
          editing: {
            ...x.editing,
            organizations: x.editing.organizations.includes(org) ? x.editing.organizations.filter((o) => o !== org) : [...x.editing.organizations, org],
          },
        }
      : x,
  );
}

/** Fields an Alt key jumps to. */
const FOCUS_KEYS: Record<string, string> = {
  KeyW: 'org-type',
  KeyL: 'listeners',
  KeyO: 'outcome',
  KeyK: 'notes',
  KeyV: 'tool',
  KeyT: 'talking-points',
};

/** Every action of the workspace on a key (listed on screen by `Shortcuts`). */
export function useWorkspaceShortcuts(current: WorkspaceActions): void {
  const ref = useRef(current);
  ref.current = current;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const actions = ref.current;
      const { update } = actions;
      const d = actions.draft();
      if (event.ctrlKey && event.key === 'Enter' && d) {
        event.preventDefault();
        actions.save();
        return;
      }
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const act = (fn: () => void) => {
        event.preventDefault();
        fn();
      };
      if (!d) {
        const idle: Record<string, () => void> = {
          KeyN: () => {
            if (actions.hasSaved) actions.nextCall();
            else actions.startOutbound();
          },
          KeyI: actions.startInbound,
        };
        const run = idle[event.code];
        if (run) act(run);
        return;
      }
      const field = FOCUS_KEYS[event.code];
      if (field !== undefined) {
        act(() => {
          focusId(field);
        });
        return;
      }
      const onCall: Record<string, () => void> = {
        KeyA: actions.answered,
        KeyX: actions.endCall,
        KeyS: actions.save,
        KeyP: () => {
          actions.openEditor('person');
        },
        KeyG: () => {
          actions.openEditor('group');
        },
        KeyH: () => {
          update((x) => ({ ...x, hotlineNumberGiven: !x.hotlineNumberGiven }));
        },
        KeyM: () => {
          update((x) => ({ ...x, materialsRequested: !x.materialsRequested }));
        },
        KeyU: () => {
          update((x) => ({ ...x, editingFollowup: x.editingFollowup ?? { clientId: newClientId(), name: '', howToReach: '', offered: '' } }));
          focusId('fu-reach');
        },
      };
      const inEditor: Record<string, () => void> = {
        KeyR: () => {
          update((x) =>
            x.editing
              ? {
                  ...x,
                  editing: { ...x.editing, nameKind: x.editing.nameKind === 'real' ? 'pseudonym' : 'real', name: x.editing.nameKind === 'real' ? suggestPseudonym().name : '' },
                }
              : x,
          );
          focusId('reg-name');
        },
        KeyJ: () => {
          update((x) => (x.editing ? { ...x, editing: { ...x.editing, nameKind: 'pseudonym', name: suggestPseudonym().name } } : x));
          focusId('reg-name');
        },
        KeyC: () => {
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
        },
        Digit1: () => {
          toggleOrg(update, 'party');
        },
        Digit2: () => {
          toggleOrg(update, 'league');
        },
        Digit3: () => {
          toggleOrg(update, 'pioneers');
        },
      };
      const run = onCall[event.code] ?? (d.editing ? inEditor[event.code] : undefined);
      if (run) act(run);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}
