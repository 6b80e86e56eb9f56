// Refreshes a resource every few seconds while someone can see it. The next refresh is
// scheduled only once the last one has finished, so a slow server never gets a queue; a
// hidden tab (or a paused view) asks nothing, and is brought up to date as soon as it shows.
import { useEffect, useRef, useState } from 'react';

function isHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

export function useAutoRefresh(resource: { loading: boolean; reload: () => void }, intervalMs: number, paused: boolean): { hidden: boolean } {
  const [hidden, setHidden] = useState(isHidden);
  useEffect(() => {
    const onChange = () => setHidden(isHidden());
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  const { loading, reload } = resource;
  const active = !paused && !hidden;
  useEffect(() => {
    if (!active || loading) return;
    const timer = setTimeout(reload, intervalMs);
    return () => clearTimeout(timer);
  }, [active, loading, reload, intervalMs]);

  // Shown again or resumed: the data on screen may be minutes old.
  const wasActive = useRef(active);
  useEffect(() => {
    if (active && !wasActive.current) reload();
    wasActive.current = active;
  }, [active, reload]);

  return { hidden };
}
