/** What an erased statement shows in place of its name, to the public and to staff (server and console). */
export const ERASED_NAME = '—';
