// A run page's live events: every event of one run since the page opened, handed to React in
// batches (often enough to look live, seldom enough not to redraw the charts per step).
import { useEffect, useRef, useState } from 'react';
import type { EventName, Events, ShirabeApi } from '../../../common/contract';

const flushMillis = 400;

type RunEvent = { [E in EventName]: Events[E] extends { runId: number } ? E : never }[EventName];

/** The events so far (`events.current`) and a version that changes when they grow. */
export function useLiveEvents<E extends RunEvent>(api: ShirabeApi, event: E, runId: number): { events: { current: Events[E][] }; version: number } {
  const live = useRef<Events[E][]>([]);
  const pending = useRef<Events[E][]>([]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    live.current = [];
    pending.current = [];
    const off = api.on(event, (e) => {
      if ((e as { runId: number }).runId === runId) pending.current.push(e);
    });
    const timer = setInterval(() => {
      if (pending.current.length === 0) return;
      live.current = live.current.concat(pending.current);
      pending.current = [];
      setVersion((v) => v + 1);
    }, flushMillis);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [api, event, runId]);
  return { events: live, version };
}
