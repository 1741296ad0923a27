import { describe, expect, it } from 'vitest';
import { runLiveEffect, type IsLive } from './useLiveEffect';

describe('runLiveEffect', () => {
  it('is live until its cleanup runs, then not live for good', () => {
    let isLive: IsLive = () => true;
    const cleanup = runLiveEffect((l) => {
      isLive = l;
    });
    expect(isLive()).toBe(true);
    cleanup();
    expect(isLive()).toBe(false);
    cleanup();
    expect(isLive()).toBe(false);
  });

  it('marks the run not live before the effect’s own cleanup runs', () => {
    const seen: boolean[] = [];
    let isLive: IsLive = () => true;
    const cleanup = runLiveEffect((l) => {
      isLive = l;
      return () => seen.push(isLive());
    });
    cleanup();
    expect(seen).toEqual([false]);
  });

  it('lets only the latest of overlapping requests store its answer', async () => {
    const stored: string[] = [];
    const pending: ((v: string) => void)[] = [];
    const request = () => new Promise<string>((resolve) => pending.push(resolve));
    const run = () =>
      runLiveEffect((isLive) => {
        void request().then((v) => isLive() && stored.push(v));
      });
    const first = run();
    first(); // superseded: deps changed
    const second = run();
    pending[1]!('second');
    pending[0]!('first'); // the older answer arrives last
    await Promise.resolve();
    await Promise.resolve();
    expect(stored).toEqual(['second']);
    second(); // unmount
    expect(stored).toEqual(['second']);
  });

  it('stores nothing from a run cleaned up before its answer came', async () => {
    const stored: number[] = [];
    let resolve: (v: number) => void = () => undefined;
    const cleanup = runLiveEffect((isLive) => {
      void new Promise<number>((r) => (resolve = r)).then((v) => isLive() && stored.push(v));
    });
    cleanup();
    resolve(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(stored).toEqual([]);
  });

  it('accepts an effect that returns nothing', () => {
    expect(() => runLiveEffect(() => undefined)()).not.toThrow();
  });
});
