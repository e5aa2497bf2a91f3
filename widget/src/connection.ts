// The conversation over socket.io: session handshake, queueing while offline, and the
// connection state the UI shows. The socket itself is injected so tests can fake it.

import { BOT_UTTERED, SESSION_CONFIRM, SESSION_REQUEST, USER_UTTERED } from "./protocol";

export type Status = "connecting" | "online" | "reconnecting";

type Listener = (...args: never[]) => void;

/** The part of socket.io-client's Socket the widget uses. */
export interface SocketLike {
  on(event: string, listener: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
  io: { on(event: string, listener: Listener): unknown };
}

export type SocketFactory = (server: string) => SocketLike;

export interface ConnectionEvents {
  status(status: Status): void;
  message(raw: unknown): void;
}

export class Connection {
  private socket: SocketLike | null = null;
  private confirmed = false;
  private queue: string[] = [];

  constructor(
    private readonly factory: SocketFactory,
    private readonly server: string,
    private readonly sessionId: () => string,
    private readonly events: ConnectionEvents,
  ) {}

  /** Connect once; socket.io-client then reconnects by itself with backoff. */
  start(): void {
    if (this.socket) return;
    const socket = this.factory(this.server);
    this.socket = socket;
    this.events.status("connecting");
    socket.on("connect", () => {
      this.confirmed = false;
      // A new socket id must rejoin the session's room, so ask again on every connect.
      socket.emit(SESSION_REQUEST, { session_id: this.sessionId() });
    });
    socket.on(SESSION_CONFIRM, () => {
      this.confirmed = true;
      this.events.status("online");
      this.flush();
    });
    socket.on(BOT_UTTERED, (raw: unknown) => this.events.message(raw));
    socket.on("disconnect", (reason: string) => {
      this.confirmed = false;
      if (reason === "io client disconnect") return;
      this.events.status("reconnecting");
      // The server closed us on purpose; socket.io-client does not retry that by itself.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", () => this.events.status("reconnecting"));
    socket.io.on("reconnect_attempt", () => this.events.status("reconnecting"));
  }

  /** Send now, or as soon as the session is confirmed again. */
  send(message: string): void {
    this.queue.push(message);
    this.start();
    this.flush();
  }

  /** A fresh socket for a new session id ("start over"). */
  restart(): void {
    this.queue = [];
    if (!this.socket) return;
    this.confirmed = false;
    this.socket.disconnect();
    this.events.status("connecting");
    this.socket.connect();
  }

  private flush(): void {
    if (!this.socket || !this.confirmed) return;
    const session_id = this.sessionId();
    for (const message of this.queue.splice(0)) {
      this.socket.emit(USER_UTTERED, { message, session_id });
    }
  }
}
