// Settings read from the embedding script tag's data-* attributes.

import { DEFAULT_COLOR, parseHex } from "./contrast";

export interface WidgetConfig {
  /** Origin of the Rasa server (socket.io lives at /socket.io there). */
  server: string;
  title: string;
  color: string;
  greeting: string;
}

function httpOrigin(value: string | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** Defaults: the server that served widget.js, a green that passes AA, a short greeting. */
export function readConfig(script: HTMLScriptElement | null, pageUrl: string): WidgetConfig {
  const data = script?.dataset ?? {};
  const title = (data.title ?? "").trim().slice(0, 60) || "Sprout";
  const server =
    httpOrigin(data.server, pageUrl) ?? httpOrigin(script?.src, pageUrl) ?? new URL(pageUrl).origin;
  return {
    server,
    title,
    color: parseHex(data.color) ? (data.color as string).trim() : DEFAULT_COLOR,
    greeting:
      (data.greeting ?? "").trim() ||
      `Hi, I'm ${title}, the clinic's virtual assistant. Ask me about physical or ` +
        "occupational therapy for your child, or book a free consultation.",
  };
}
