// Session id and transcript in localStorage, so a reload or a click to another page of
// the clinic's site continues the same Rasa conversation (session_persistence) and shows it.

import type { QuickReply } from "./protocol";

export interface Entry {
  from: "bot" | "user";
  text: string;
  replies?: QuickReply[];
  /** Set once a quick reply of this message was chosen (its buttons stay disabled). */
  used?: boolean;
}

const MAX_ENTRIES = 200;

/** A random id; crypto when available, as session ids double as Rasa sender ids. */
export function newId(): string {
  const bytes = new Uint8Array(16);
  const cryptoApi = (globalThis as { crypto?: Crypto }).crypto;
  if (cryptoApi?.getRandomValues) cryptoApi.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function isEntry(value: unknown): value is Entry {
  if (!value || typeof value !== "object") return false;
  const entry = value as Record<string, unknown>;
  return (entry.from === "bot" || entry.from === "user") && typeof entry.text === "string";
}

/** Storage that degrades to memory when the browser refuses (private mode, disabled storage). */
export class Store {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly prefix: string,
    private readonly local: Storage | null = safeStorage("localStorage"),
    private readonly session: Storage | null = safeStorage("sessionStorage"),
  ) {}

  private get(area: Storage | null, key: string): string | null {
    try {
      const value = area?.getItem(this.prefix + key);
      if (value !== null && value !== undefined) return value;
    } catch {
      // fall through to the in-memory copy
    }
    return this.memory.get(key) ?? null;
  }

  private set(area: Storage | null, key: string, value: string): void {
    this.memory.set(key, value);
    try {
      area?.setItem(this.prefix + key, value);
    } catch {
      // quota or privacy settings: the in-memory copy still serves this page
    }
  }

  sessionId(): string {
    const existing = this.get(this.local, "session");
    if (existing && /^[\w-]{8,64}$/.test(existing)) return existing;
    return this.newSession();
  }

  newSession(): string {
    const id = newId();
    this.set(this.local, "session", id);
    this.saveTranscript([]);
    return id;
  }

  transcript(): Entry[] {
    try {
      const parsed: unknown = JSON.parse(this.get(this.local, "transcript") ?? "[]");
      return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  saveTranscript(entries: Entry[]): void {
    this.set(this.local, "transcript", JSON.stringify(entries.slice(-MAX_ENTRIES)));
  }

  /** Whether the panel was open, per tab, so navigating the site keeps it open. */
  wasOpen(): boolean {
    return this.get(this.session, "open") === "1";
  }

  setOpen(open: boolean): void {
    this.set(this.session, "open", open ? "1" : "0");
  }
}

function safeStorage(name: "localStorage" | "sessionStorage"): Storage | null {
  try {
    return typeof window === "undefined" ? null : window[name];
  } catch {
    return null;
  }
}
