// A stand-in for socket.io-client's Socket that records emits and lets tests fire events.

import type { SocketLike } from "../src/connection";

type Handler = (...args: never[]) => void;

export class FakeSocket implements SocketLike {
  readonly emitted: Array<[string, unknown]> = [];
  connects = 0;
  disconnects = 0;
  private readonly handlers = new Map<string, Handler[]>();
  readonly io = { on: (event: string, handler: Handler) => this.on(`io:${event}`, handler) };

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  emit(event: string, data?: unknown): this {
    this.emitted.push([event, data]);
    return this;
  }

  connect(): this {
    this.connects += 1;
    return this;
  }

  disconnect(): this {
    this.disconnects += 1;
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      (handler as (...values: unknown[]) => void)(...args);
    }
  }

  /** The server side of a successful handshake. */
  confirm(): void {
    this.fire("connect");
    const request = this.emitted.filter(([event]) => event === "session_request").pop();
    this.fire("session_confirm", (request?.[1] as { session_id: string }).session_id);
  }

  sent(event: string): unknown[] {
    return this.emitted.filter(([name]) => name === event).map(([, data]) => data);
  }
}
