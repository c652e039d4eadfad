import { api, ApiError } from '../api';

/**
 * The browser's side of passkeys, loaded only when someone uses one. A refusal or a cancel in the
 * browser's own dialog becomes an ApiError with code PASSKEY_CANCELLED, so pages show it in the
 * reader's language like any other error.
 */
async function browserCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const name = error instanceof Error ? error.name : '';
    throw new ApiError(name === 'NotSupportedError' || name === 'SecurityError' ? 'PASSKEY_UNSUPPORTED' : 'PASSKEY_CANCELLED', 0);
  }
}

/** Signs in (second step) with one of the account's passkeys. */
export async function signInWithPasskey(): Promise<{ next: 'done' | 'enroll-passkey' }> {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  const optionsJSON = await api<Parameters<typeof startAuthentication>[0]['optionsJSON']>('POST', '/api/auth/passkey/options');
  const response = await browserCall(() => startAuthentication({ optionsJSON }));
  return api('POST', '/api/auth/passkey', response);
}

/** Adds a passkey to the account (at sign-in when one is required, or from the account page). */
export async function addPasskey(name: string): Promise<{ next: 'done'; id: string; recoveryCodes?: string[] }> {
  const { startRegistration } = await import('@simplewebauthn/browser');
  const optionsJSON = await api<Parameters<typeof startRegistration>[0]['optionsJSON']>('POST', '/api/auth/passkeys/options');
  const response = await browserCall(() => startRegistration({ optionsJSON }));
  return api('POST', '/api/auth/passkeys', { name, response });
}
