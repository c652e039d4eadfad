/**
 * What a volunteer's phone dials and how Hotline answers, shared by the SIP edge API and the
 * console softphone (which runs in the browser: no Node APIs here).
 */

/** A SIP request-user that names a claimed call task instead of a number. */
export const TASK_TARGET_PREFIX = 'task-';

/** Why Hotline refused an outbound call; Kamailio sends it as `X-Hotline-Refusal`. */
export const OUTBOUND_REFUSALS = ['NOT_ASSIGNED', 'OUTSIDE_CALLING_WINDOW', 'DO_NOT_CALL', 'INVALID_NUMBER'] as const;

/** Longest dial target the edge accepts (a task reference of a long task id). */
export const MAX_DIAL_TARGET_LENGTH = 400;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The dial target of a claimed task (`task-<base64url of its id>`): a SIP user part made only of
 * unreserved characters, so the phone never needs the number and task ids may hold `:` or `@`.
 */
export function taskDialTarget(taskId: string): string {
  return `${TASK_TARGET_PREFIX}${toBase64Url(new TextEncoder().encode(taskId))}`;
}

/** The task id a dial target names, or null when it is not a (well-formed) task reference. */
export function taskIdOfDialTarget(target: string): string | null {
  if (!target.startsWith(TASK_TARGET_PREFIX)) return null;
  const encoded = target.slice(TASK_TARGET_PREFIX.length);
  if (!/^[A-Za-z0-9_-]{1,}$/.test(encoded) || encoded.length % 4 === 1) return null;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const id = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // Only a canonical encoding names a task: one id, one target.
    return id.length > 0 && taskDialTarget(id) === target ? id : null;
  } catch {
    return null;
  }
}

/**
 * A language tag as the routing core compares it: the primary subtag in lower case ("zh-CN" and
 * "zh" are both Mandarin "zh", "yue" is Cantonese). Undefined for anything that is not a tag.
 */
export function normalizeLanguageTag(tag: string | undefined | null): string | undefined {
  if (tag === undefined || tag === null) return undefined;
  const match = /^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$/.exec(tag);
  return match?.[1]?.toLowerCase();
}
