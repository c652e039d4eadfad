import { useEffect, useState } from 'react';

/** The route in the URL's hash ('#/calls' -> '/calls'); the server serves index.html for all. */
export function useHashRoute(): string {
  const read = () => window.location.hash.replace(/^#/, '') || '/';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => {
      setRoute(read());
    };
    window.addEventListener('hashchange', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
    };
  }, []);
  return route;
}

/** Goes to a route. */
export function navigate(route: string): void {
  window.location.hash = `#${route}`;
}
