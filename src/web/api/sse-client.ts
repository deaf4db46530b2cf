/** What an event stream writes to: a ServerResponse, or any Writable. */
export interface EventSink {
  write(chunk: string): boolean;
  readonly writableLength: number;
  on(event: 'drain', listener: () => void): unknown;
}

export interface SseLimits {
  /** Bytes queued in the sink past which the client counts as slow: droppable events are dropped. */
  readonly highWater: number;
  /** Events kept while a slow client drains; the oldest give way to newer ones. */
  readonly maxBacklog: number;
}

export const DEFAULT_SSE_LIMITS: SseLimits = { highWater: 64 * 1024, maxBacklog: 32 };

/**
 * One Server-Sent Events client with bounded memory. While its socket keeps up, every event is
 * written. Once the socket's buffer is full (write() said so, or more than highWater bytes wait),
 * droppable events (mempool transactions, pings) are skipped and the rest (blocks, reorgs) wait in
 * a backlog of at most maxBacklog events, oldest dropped first; a 'drain' writes the backlog out in
 * order. So a reader that stalls costs at most highWater + maxBacklog events, however long it
 * stalls, and never slows the node or the other clients.
 */
export class SseClient<S extends EventSink = EventSink> {
  #backlog: string[] = [];
  #congested = false;
  /** Events not written because the client was slow (dropped, or pushed out of the backlog). */
  dropped = 0;

  constructor(
    readonly sink: S,
    private readonly limits: SseLimits = DEFAULT_SSE_LIMITS,
  ) {
    sink.on('drain', () => this.#drain());
  }

  get backlogLength(): number {
    return this.#backlog.length;
  }

  send(text: string, droppable: boolean): void {
    if (this.#congested || this.sink.writableLength > this.limits.highWater) {
      if (droppable) {
        this.dropped += 1;
        return;
      }
      this.#backlog.push(text);
      if (this.#backlog.length > this.limits.maxBacklog) {
        this.#backlog.shift();
        this.dropped += 1;
      }
      return;
    }
    if (!this.sink.write(text)) this.#congested = true;
  }

  #drain(): void {
    this.#congested = false;
    while (this.#backlog.length > 0 && !this.#congested) {
      if (!this.sink.write(this.#backlog.shift()!)) this.#congested = true;
    }
  }
}
