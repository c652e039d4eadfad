import { useEffect, useState } from 'react';
import type { ConsoleSettingsOut } from '../../../src/http/routes/calls';
import { api } from './api';

/** What the console knows of its server: which softphone, demo mode, the hotline's own number. */
export type ConsoleSettings = ConsoleSettingsOut;

let loaded: Promise<ConsoleSettings> | undefined;

/** The server's console settings, asked once per page load (a failed request is asked again next time). */
export function loadConsoleSettings(): Promise<ConsoleSettings> {
  loaded ??= api<ConsoleSettings>('GET', '/api/console/settings').catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

/** The console settings, undefined until they arrive (and while `isSignedIn` is false: they need a session). */
export function useConsoleSettings(isSignedIn = true): ConsoleSettings | undefined {
  const [settings, setSettings] = useState<ConsoleSettings | undefined>();
  useEffect(() => {
    if (!isSignedIn) return;
    let isMounted = true;
    const load = () => {
      loadConsoleSettings()
        .then((value) => {
          if (isMounted) setSettings(value);
        })
        .catch(() => {
          if (isMounted) setTimeout(load, 3000);
        });
    };
    load();
    return () => {
      isMounted = false;
    };
  }, [isSignedIn]);
  return settings;
}
