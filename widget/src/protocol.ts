// The socket.io events Rasa's socket.io channel speaks (see channels/website.py).
// Kept in one place so the widget and the server cannot drift apart silently.

export const SESSION_REQUEST = "session_request";
export const SESSION_CONFIRM = "session_confirm";
export const USER_UTTERED = "user_uttered";
export const BOT_UTTERED = "bot_uttered";

export interface QuickReply {
  title: string;
  payload: string;
}

export interface BotMessage {
  text: string;
  replies: QuickReply[];
}

function asReplies(value: unknown): QuickReply[] {
  if (!Array.isArray(value)) return [];
  const replies: QuickReply[] = [];
  for (const item of value) {
    if (!item || typeof item !== "object") continue;
    const { title, payload } = item as Record<string, unknown>;
    if (typeof title !== "string" || !title.trim()) continue;
    replies.push({ title, payload: typeof payload === "string" && payload ? payload : title });
  }
  return replies;
}

/** Read a `bot_uttered` payload defensively: the server is trusted, its shape is not. */
export function readBotMessage(raw: unknown): BotMessage | null {
  if (!raw || typeof raw !== "object") return null;
  const data = raw as Record<string, unknown>;
  let text = typeof data.text === "string" ? data.text : "";
  const replies = asReplies(data.quick_replies).concat(asReplies(data.buttons));
  const attachment = data.attachment as { payload?: { src?: unknown } } | undefined;
  if (!text && typeof attachment?.payload?.src === "string") text = attachment.payload.src;
  if (!text && replies.length === 0) return null;
  return { text, replies };
}
