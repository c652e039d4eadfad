import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import type { CallDraft } from '../draft';

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
 * The server checks a typed number with the full numbering plan and says where it rings. The call
 * starts at once without waiting (a volunteer types Enter, Alt+A in a blink); a draft restored
 * without a region (started offline) is checked again when the page loads. Returns true when the
 * server refused the number (it is then dropped from the draft, so the save does not fail).
 */
export function useNumberCheck(draft: CallDraft | undefined, update: (change: (d: CallDraft) => CallDraft) => void): boolean {
  const [numberRefused, setNumberRefused] = useState(false);
  const checkedPhone = useRef<string | undefined>(undefined);
  const draftPhone = draft?.phone ?? '';
  const draftHasRegion = draft?.region !== undefined;
  const clientId = draft?.clientId;
  useEffect(() => {
    setNumberRefused(false);
  }, [clientId]);
  useEffect(() => {
    if (draftPhone === '' || draftHasRegion || checkedPhone.current === draftPhone) return;
    checkedPhone.current = draftPhone;
    void checkNumber(draftPhone).then((info) => {
      if (info instanceof ApiError) {
        if (info.code !== 'VALIDATION_FAILED') return;
        update((d) => (d.phone === draftPhone ? { ...d, phone: '' } : d));
        setNumberRefused(true);
        return;
      }
      const region = info?.region;
      if (region) update((d) => (d.phone === draftPhone ? { ...d, region } : d));
    });
  }, [draftPhone, draftHasRegion, update]);
  return numberRefused;
}
