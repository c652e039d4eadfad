/**
 * Focuses an element now if it exists, else as soon as React has mounted it: React commits a
 * keyboard event's update in a microtask queued before ours, so a key typed right after an Alt
 * shortcut lands in the new field, not the old one. The next paint is a last resort.
 */
let focusRequests = 0;

/** Moves the keyboard focus to the element with this id (now, or once it is on screen). */
export function focusId(id: string): void {
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
