import { useEffect, useRef } from 'react';

/** Asks once for leave to show notifications (call it from a click: browsers want a gesture). */
export function askForNotifications(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

/**
 * While `label` is set (a call is ringing): a browser notification, and in a background tab a title
 * that flashes between the label and the page's own title, so a volunteer in another tab or window
 * sees the call. Everything is undone when the ringing stops.
 */
export function useRingAlerts(label: string | null, onClick?: () => void): void {
  const clicked = useRef(onClick);
  clicked.current = onClick;
  useEffect(() => {
    if (label === null) return;
    const title = document.title;
    let isFlashing = false;
    const flash = setInterval(() => {
      isFlashing = document.hidden ? !isFlashing : false;
      document.title = isFlashing ? `☎ ${label}` : title;
    }, 1000);
    let notification: Notification | undefined;
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      try {
        notification = new Notification(label, { tag: 'hotline-ring', requireInteraction: true });
        notification.onclick = () => {
          window.focus();
          clicked.current?.();
        };
      } catch {
        // Some browsers allow notifications only from a service worker; the banner and tone remain.
      }
    }
    return () => {
      clearInterval(flash);
      document.title = title;
      notification?.close();
    };
  }, [label]);
}
