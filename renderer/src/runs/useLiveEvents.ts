// Live events from the backend, for the pages that show something while it happens: the handler
// sees each event of a name that passes the filter, for as long as the component is mounted. The
// filter and handler may change on every render (they are read when an event comes, not when the
// listener is added), so callers pass plain closures.
import { useEffect, useRef, useState } from 'react';
import type { EventName, Events } from '../../../common/contract';
import { useApp } from '../state/AppContext';

export function useLiveEvents<E extends EventName>(event: E, filter: ((payload: Events[E]) => boolean) | null, handler: (payload: Events[E]) => void): void {
  const { api } = useApp();
  const latest = useRef({ filter, handler });
  latest.current = { filter, handler };
  useEffect(
    () =>
      api.on(event, (payload) => {
        const { filter: accept, handler: handle } = latest.current;
        if (!accept || accept(payload)) handle(payload);
      }),
    [api, event],
  );
}

/** The events that carry a run id: a run's progress. */
export type RunEventName = { [E in EventName]: Events[E] extends { runId: number } ? E : never }[EventName];

const flushMillis = 400;

/**
 * Every event of one run since the page opened (`events.current`) and a version that changes when
 * they grow, handed to React in batches: often enough to look live, seldom enough not to redraw the
 * charts at every step.
 */
export function useRunEvents<E extends RunEventName>(event: E, runId: number): { events: { current: Events[E][] }; version: number } {
  const live = useRef<Events[E][]>([]);
  const pending = useRef<Events[E][]>([]);
  const [version, setVersion] = useState(0);
  useLiveEvents(
    event,
    (e) => (e as { runId: number }).runId === runId,
    (e) => pending.current.push(e),
  );
  useEffect(() => {
    live.current = [];
    pending.current = [];
    const timer = setInterval(() => {
      if (pending.current.length === 0) return;
      live.current = live.current.concat(pending.current);
      pending.current = [];
      setVersion((v) => v + 1);
    }, flushMillis);
    return () => clearInterval(timer);
  }, [event, runId]);
  return { events: live, version };
}
