/** An error the API answered with: its code (translated by the screen), HTTP status and safe details (ids, lines, times). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
  }
}

let csrfToken = '';

/** Remembers the CSRF token `/api/auth/me` gave; every write sends it. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

function csrfFromCookie(): string {
  const match = /(?:^|;\s*)(?:__Host-)?hotline_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ?? '';
}

/** Calls the Hotline API on this origin; throws ApiError (code 'NETWORK' when the server is unreachable). */
export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken || csrfFromCookie() }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError('NETWORK', 0);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    // The server answers { error: { code, message, details } }.
    const error = (data as { error?: { code?: unknown; details?: Record<string, unknown> } } | undefined)?.error;
    const code = error?.code;
    throw new ApiError(typeof code === 'string' ? code : response.status >= 500 ? 'NETWORK' : 'BAD_REQUEST', response.status, error?.details);
  }
  return data as T;
}

/** The signed-in staff member. */
export interface Me {
  user: { id: string; username: string; displayName: string; role: string };
  csrfToken: string;
  /** Sign-ins from devices this account never used before, not yet acknowledged by its owner. */
  newDevices?: { device: string; at: number }[];
}
