// The chat UI: launcher, panel, message log, quick replies, composer. Built with DOM calls
// inside a shadow root; bot and user text only ever reach the page as text nodes.

import type { WidgetConfig } from "./config";
import { Connection, type SocketFactory, type Status } from "./connection";
import { themeFor } from "./contrast";
import { chatIcon, el } from "./dom";
import { renderRichText } from "./format";
import { readBotMessage } from "./protocol";
import { type Entry, Store } from "./storage";
import { CSS } from "./styles";

/** How long the typing indicator waits for a reply before giving up. */
export const TYPING_TIMEOUT_MS = 20000;
export const RECONNECTING_TEXT = "Connection lost. Reconnecting…";

export class ChatWidget {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  private readonly doc: Document;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly log: HTMLElement;
  private readonly state: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly connection: Connection;
  private entries: Entry[];
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly config: WidgetConfig,
    factory: SocketFactory,
    private readonly store: Store,
    doc: Document = document,
  ) {
    this.doc = doc;
    // A custom tag: the page's `div { ... }` rules cannot select the host.
    this.host = doc.createElement("sprout-chat");
    this.host.setAttribute("data-sprout-widget", "");
    this.root = this.host.attachShadow({ mode: "open" });
    this.addStyles();

    const theme = themeFor(config.color);
    const frame = el(doc, "div", { class: "sw" });
    frame.style.setProperty("--sw-accent", theme.accent);
    frame.style.setProperty("--sw-on-accent", theme.onAccent);
    frame.style.setProperty("--sw-focus", theme.accentText);

    this.launcher = el(doc, "button", {
      type: "button",
      class: "launcher",
      "aria-label": `Open chat with ${config.title}`,
      "aria-expanded": "false",
      "aria-controls": "sw-panel",
    });
    this.launcher.append(chatIcon(doc));

    this.panel = el(doc, "section", {
      id: "sw-panel",
      class: "panel",
      role: "dialog",
      "aria-labelledby": "sw-title",
    });
    this.panel.hidden = true;

    const head = el(doc, "div", { class: "head" });
    const restart = el(doc, "button", { type: "button", class: "restart" }, "Start over");
    restart.setAttribute("aria-label", "Start over: begin a new conversation");
    const close = el(doc, "button", { type: "button", class: "close", "aria-label": "Close chat" });
    close.textContent = "×";
    head.append(el(doc, "h2", { id: "sw-title" }, config.title), restart, close);

    this.state = el(doc, "p", { class: "state", role: "status" });
    this.notice = el(doc, "p", { class: "sr-only", role: "status" });
    this.log = el(doc, "div", {
      class: "log",
      role: "log",
      "aria-live": "polite",
      "aria-label": `Conversation with ${config.title}`,
      tabindex: "0",
    });
    this.typing = el(doc, "div", { class: "typing" });
    this.typing.append(
      el(doc, "span", { class: "sr-only" }, `${config.title} is typing`),
      el(doc, "span", { class: "dot" }),
      el(doc, "span", { class: "dot" }),
      el(doc, "span", { class: "dot" }),
    );
    this.typing.hidden = true;

    const form = el(doc, "form", { class: "composer" });
    const label = el(doc, "label", { for: "sw-input", class: "sr-only" }, "Your message");
    this.input = el(doc, "input", {
      id: "sw-input",
      type: "text",
      autocomplete: "off",
      maxlength: "1000",
      placeholder: "Type your question…",
    });
    const send = el(doc, "button", { type: "submit" }, "Send");
    form.append(label, this.input, send);

    this.panel.append(head, this.state, this.notice, this.log, this.typing, form);
    frame.append(this.launcher, this.panel);
    this.root.append(frame);

    this.connection = new Connection(factory, config.server, () => store.sessionId(), {
      status: (status) => this.showStatus(status),
      message: (raw) => this.receive(raw),
    });
    this.entries = store.transcript();
    this.renderAll();

    this.launcher.addEventListener("click", () => this.open());
    close.addEventListener("click", () => this.close());
    restart.addEventListener("click", () => this.startOver());
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        this.close();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = "";
      this.say(text, text);
    });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** Show the panel; `focus` is false when restoring state on page load (no focus theft). */
  open(focus = true): void {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.store.setOpen(true);
    this.connection.start();
    this.scrollToEnd();
    if (focus) this.input.focus();
  }

  close(): void {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.store.setOpen(false);
    this.launcher.focus();
  }

  private addStyles(): void {
    const root = this.root as ShadowRoot & { adoptedStyleSheets?: CSSStyleSheet[] };
    // Constructed sheets also work under a page CSP that forbids inline <style>.
    if (root.adoptedStyleSheets && typeof CSSStyleSheet.prototype.replaceSync === "function") {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el(this.doc, "style", {}, CSS));
    }
  }

  private showStatus(status: Status): void {
    this.state.textContent = status === "reconnecting" ? RECONNECTING_TEXT : "";
  }

  private say(shown: string, sent: string): void {
    this.retireReplies();
    this.add({ from: "user", text: shown });
    this.connection.send(sent);
    this.setTyping(true);
  }

  private receive(raw: unknown): void {
    const message = readBotMessage(raw);
    if (!message) return;
    this.setTyping(false);
    const entry: Entry = { from: "bot", text: message.text };
    if (message.replies.length) entry.replies = message.replies;
    this.add(entry);
  }

  private add(entry: Entry): void {
    this.entries.push(entry);
    this.store.saveTranscript(this.entries);
    this.log.append(this.renderEntry(entry));
    this.scrollToEnd();
  }

  /** Quick replies belong to the latest bot turn; once the user answers they are spent. */
  private retireReplies(): void {
    for (const entry of this.entries) if (entry.replies) entry.used = true;
    for (const button of Array.from(this.log.querySelectorAll<HTMLButtonElement>(".replies button"))) {
      button.disabled = true;
    }
  }

  private renderAll(): void {
    this.log.replaceChildren(this.renderEntry({ from: "bot", text: this.config.greeting }));
    for (const entry of this.entries) this.log.append(this.renderEntry(entry));
  }

  private renderEntry(entry: Entry): HTMLElement {
    const doc = this.doc;
    const item = el(doc, "div", { class: `msg ${entry.from}` });
    const who = entry.from === "bot" ? this.config.title : "You";
    const bubble = el(doc, "div", { class: "bubble" });
    bubble.append(el(doc, "span", { class: "sr-only" }, `${who}: `));
    if (entry.from === "bot") bubble.append(renderRichText(entry.text, doc));
    else bubble.append(doc.createTextNode(entry.text));
    item.append(bubble);
    if (entry.replies?.length) {
      const group = el(doc, "div", { class: "replies", role: "group", "aria-label": "Suggested replies" });
      for (const reply of entry.replies) {
        const button = el(doc, "button", { type: "button" }, reply.title);
        button.disabled = Boolean(entry.used);
        button.addEventListener("click", () => {
          if (entry.used) return;
          this.say(reply.title, reply.payload);
          this.input.focus();
        });
        group.append(button);
      }
      item.append(group);
    }
    return item;
  }

  private setTyping(on: boolean): void {
    clearTimeout(this.typingTimer);
    this.typing.hidden = !on;
    if (on) this.typingTimer = setTimeout(() => this.setTyping(false), TYPING_TIMEOUT_MS);
    this.scrollToEnd();
  }

  private startOver(): void {
    this.store.newSession();
    this.entries = [];
    this.setTyping(false);
    this.renderAll();
    this.connection.restart();
    this.notice.textContent = "Started a new conversation.";
    this.input.value = "";
    this.input.focus();
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

/** Attach the widget to the page and restore an open panel after navigation. */
export function mount(
  config: WidgetConfig,
  factory: SocketFactory,
  store: Store = new Store(`sprout-chat:${config.server}:`),
  doc: Document = document,
): ChatWidget {
  const widget = new ChatWidget(config, factory, store, doc);
  doc.body.append(widget.host);
  if (store.wasOpen()) widget.open(false);
  return widget;
}
