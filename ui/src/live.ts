/**
 * Live updates: one EventSource on /api/events for the whole UI, fanned out to the pages that
 * listen. The browser reconnects by itself after a drop; on reconnect we send a synthetic 'resync'
 * so pages refetch what they may have missed while disconnected.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BlockEvent, ReorgEvent, TxEvent } from './api/types.js';
import { dropPreloaded } from './preload.js';

export interface LiveEvents {
  block: BlockEvent;
  tx: TxEvent;
  reorg: ReorgEvent;
  resync: null;
}
type Kind = keyof LiveEvents;
export type LiveState = 'connecting' | 'live' | 'offline';

const handlers: { [K in Kind]: Set<(data: LiveEvents[K]) => void> } = {
  block: new Set(),
  tx: new Set(),
  reorg: new Set(),
  resync: new Set(),
};
const stateListeners = new Set<(s: LiveState) => void>();
let source: EventSource | null = null;
let state: LiveState = 'connecting';
let wasOpen = false;

function setState(next: LiveState): void {
  state = next;
  for (const fn of stateListeners) fn(next);
}

function emit<K extends Kind>(kind: K, data: LiveEvents[K]): void {
  // The chain or the mempool moved: answers preloaded before this may be out of date.
  dropPreloaded();
  for (const fn of handlers[kind]) fn(data);
}

function connect(): void {
  if (source !== null) return;
  source = new EventSource('/api/events');
  source.onopen = () => {
    setState('live');
    if (wasOpen) emit('resync', null);
    wasOpen = true;
  };
  source.onerror = () => setState(source?.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
  for (const kind of ['block', 'tx', 'reorg'] as const) {
    source.addEventListener(kind, (e) => {
      try {
        emit(kind, JSON.parse((e as MessageEvent<string>).data));
      } catch {
        // A malformed event is dropped; the next one or a resync brings the page up to date.
      }
    });
  }
}

/** Calls `fn` for every event of `kind` while the component is mounted (latest `fn` each time). */
export function useLive<K extends Kind>(kind: K, fn: (data: LiveEvents[K]) => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    connect();
    const h = (d: LiveEvents[K]) => ref.current(d);
    handlers[kind].add(h);
    return () => {
      handlers[kind].delete(h);
    };
  }, [kind]);
}

export function useLiveState(): LiveState {
  const [s, setS] = useState(state);
  useEffect(() => {
    connect();
    stateListeners.add(setS);
    setS(state);
    return () => {
      stateListeners.delete(setS);
    };
  }, []);
  return s;
}

/** `fn` at most once per `ms`, trailing: bursts of tx events become one refresh. */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  return () => {
    if (timer !== null) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      fn();
    }, wait);
  };
}
