import { useEffect, useState } from 'react';

function socketUrl(path: string): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${path}`;
}

/** Keeps a WebSocket open while mounted (path null: none), reconnecting after a drop; true while open. */
export function useSocket(path: string | null, onMessage: (data: unknown) => void): boolean {
  const [isOpen, setOpen] = useState(false);
  useEffect(() => {
    if (!path) return;
    let socket: WebSocket | undefined;
    let stopped = false;
    const connect = () => {
      socket = new WebSocket(socketUrl(path));
      socket.onopen = () => {
        setOpen(true);
      };
      socket.onmessage = (event) => {
        onMessage(JSON.parse(String(event.data)));
      };
      socket.onclose = () => {
        setOpen(false);
        if (!stopped) setTimeout(connect, 2000);
      };
    };
    connect();
    return () => {
      stopped = true;
      socket?.close();
    };
  }, [path, onMessage]);
  return isOpen;
}
