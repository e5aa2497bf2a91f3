import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WidgetConfig } from "../src/config";
import { Store } from "../src/storage";
import { type ChatWidget, mount, RECONNECTING_TEXT, TYPING_TIMEOUT_MS } from "../src/widget";
import { FakeSocket } from "./fake-socket";

const config: WidgetConfig = {
  server: "http://127.0.0.1:5005",
  title: "Sprout",
  color: "#2e6b4f",
  greeting: "Hi, I'm Sprout.",
};

let sockets: FakeSocket[];

function start(): ChatWidget {
  return mount(config, () => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  }, new Store("test:"));
}

const $ = <T extends Element>(widget: ChatWidget, selector: string) =>
  widget.root.querySelector<T>(selector) as T;
const $$ = (widget: ChatWidget, selector: string) => Array.from(widget.root.querySelectorAll(selector));
const bubbles = (widget: ChatWidget) =>
  $$(widget, ".msg .bubble").map((b) => b.textContent?.replace(/^(Sprout|You): /, ""));

function type(widget: ChatWidget, text: string): void {
  $<HTMLInputElement>(widget, "input").value = text;
  $<HTMLFormElement>(widget, "form").dispatchEvent(new Event("submit", { cancelable: true }));
}

beforeEach(() => {
  sockets = [];
  localStorage.clear();
  sessionStorage.clear();
  document.body.replaceChildren();
});

afterEach(() => vi.useRealTimers());

describe("chat widget", () => {
  it("renders into a shadow root with a labelled launcher and live log", () => {
    const widget = start();
    expect(document.body.contains(widget.host)).toBe(true);
    const launcher = $<HTMLButtonElement>(widget, ".launcher");
    expect(launcher.getAttribute("aria-label")).toBe("Open chat with Sprout");
    expect(launcher.getAttribute("aria-expanded")).toBe("false");
    const log = $(widget, "[role=log]");
    expect(log.getAttribute("aria-live")).toBe("polite");
    expect($(widget, "label[for=sw-input]").textContent).toBe("Your message");
    expect($(widget, "[role=dialog]").getAttribute("aria-labelledby")).toBe("sw-title");
    expect(bubbles(widget)).toEqual(["Hi, I'm Sprout."]);
    expect(document.querySelector(".launcher")).toBeNull();
  });

  it("connects on first open, moves focus in, and back to the launcher on Escape", () => {
    const widget = start();
    expect(sockets).toHaveLength(0);
    $<HTMLButtonElement>(widget, ".launcher").click();
    expect(widget.isOpen).toBe(true);
    expect(widget.root.activeElement).toBe($(widget, "input"));
    expect(sockets).toHaveLength(1);

    $(widget, "input").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(widget.isOpen).toBe(false);
    expect(widget.root.activeElement).toBe($(widget, ".launcher"));
    expect($(widget, ".launcher").getAttribute("aria-expanded")).toBe("false");
  });

  it("asks for the stored session and sends messages with it once confirmed", () => {
    const widget = start();
    widget.open();
    const socket = sockets[0];
    type(widget, "does insurance cover PT?");
    expect(socket.sent("user_uttered")).toEqual([]);
    socket.confirm();
    const session = localStorage.getItem(`test:session`);
    expect(socket.sent("session_request")).toEqual([{ session_id: session }]);
    expect(socket.sent("user_uttered")).toEqual([{ message: "does insurance cover PT?", session_id: session }]);
    expect(bubbles(widget)).toEqual(["Hi, I'm Sprout.", "does insurance cover PT?"]);
  });

  it("shows a typing indicator until the reply arrives", () => {
    vi.useFakeTimers();
    const widget = start();
    widget.open();
    sockets[0].confirm();
    type(widget, "hello");
    expect($<HTMLElement>(widget, ".typing").hidden).toBe(false);
    sockets[0].fire("bot_uttered", { text: "Hi there" });
    expect($<HTMLElement>(widget, ".typing").hidden).toBe(true);

    type(widget, "anyone?");
    vi.advanceTimersByTime(TYPING_TIMEOUT_MS + 1);
    expect($<HTMLElement>(widget, ".typing").hidden).toBe(true);
  });

  it("never turns bot or user text into elements", () => {
    const widget = start();
    widget.open();
    sockets[0].confirm();
    type(widget, "<img src=x onerror=alert(1)>");
    sockets[0].fire("bot_uttered", { text: "<img src=x onerror=alert(2)> **<b>x</b>**" });
    expect($$(widget, "img, b")).toHaveLength(0);
    expect(bubbles(widget)).toEqual(["Hi, I'm Sprout.", "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(2)> <b>x</b>"]);
  });

  it("renders only http(s) links, opening in a new tab without opener", () => {
    const widget = start();
    widget.open();
    sockets[0].fire("bot_uttered", { text: "See https://clinic.example/faq and [x](javascript:alert(1))" });
    const links = $$(widget, ".log a") as HTMLAnchorElement[];
    expect(links.map((a) => a.href)).toEqual(["https://clinic.example/faq"]);
    expect(links[0].rel).toBe("noopener noreferrer");
    expect(links[0].target).toBe("_blank");
  });

  it("sends a quick reply's payload, shows its title, and disables the buttons", () => {
    const widget = start();
    widget.open();
    const socket = sockets[0];
    socket.confirm();
    socket.fire("bot_uttered", {
      text: "Most plans cover PT.",
      quick_replies: [
        { content_type: "text", title: "Talk to our team", payload: "/human_handoff" },
        { content_type: "text", title: "Book a free consultation", payload: "/book_consultation" },
      ],
    });
    const buttons = $$(widget, ".replies button") as HTMLButtonElement[];
    expect(buttons.map((b) => b.textContent)).toEqual(["Talk to our team", "Book a free consultation"]);
    expect($(widget, ".replies").getAttribute("role")).toBe("group");

    buttons[1].click();
    expect(socket.sent("user_uttered").slice(-1)[0]).toMatchObject({ message: "/book_consultation" });
    expect(bubbles(widget).slice(-1)[0]).toBe("Book a free consultation");
    expect(buttons.every((b) => b.disabled)).toBe(true);
    expect(widget.root.activeElement).toBe($(widget, "input"));

    buttons[0].click();
    expect(socket.sent("user_uttered")).toHaveLength(1);
  });

  it("disables earlier quick replies when the user types instead", () => {
    const widget = start();
    widget.open();
    sockets[0].confirm();
    sockets[0].fire("bot_uttered", { text: "Pick", buttons: [{ title: "Yes", payload: "/affirm" }] });
    type(widget, "actually, a question");
    expect(($(widget, ".replies button") as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows a reconnecting state while the connection is down and clears it after", () => {
    const widget = start();
    widget.open();
    const socket = sockets[0];
    socket.confirm();
    const state = $(widget, ".state");
    expect(state.getAttribute("role")).toBe("status");
    expect(state.textContent).toBe("");

    socket.fire("disconnect", "transport close");
    expect(state.textContent).toBe(RECONNECTING_TEXT);
    socket.fire("io:reconnect_attempt", 2);
    expect(state.textContent).toBe(RECONNECTING_TEXT);

    type(widget, "are you there?");
    expect(socket.sent("user_uttered")).toHaveLength(0);
    socket.confirm();
    expect(state.textContent).toBe("");
    expect(socket.sent("session_request")).toHaveLength(2);
    expect(socket.sent("user_uttered")).toEqual([
      expect.objectContaining({ message: "are you there?" }),
    ]);
  });

  it("reconnects by itself when the server drops the socket", () => {
    const widget = start();
    widget.open();
    sockets[0].confirm();
    sockets[0].fire("disconnect", "io server disconnect");
    expect(sockets[0].connects).toBe(1);
    expect($(widget, ".state").textContent).toBe(RECONNECTING_TEXT);
  });

  it("keeps the transcript and session across reloads", () => {
    const first = start();
    first.open();
    sockets[0].confirm();
    type(first, "hello");
    sockets[0].fire("bot_uttered", { text: "Hi!", buttons: [{ title: "Book", payload: "/book" }] });
    ($(first, ".replies button") as HTMLButtonElement).click();
    const session = sockets[0].sent("session_request")[0];

    document.body.replaceChildren();
    const second = start();
    expect(second.isOpen).toBe(true);
    expect(bubbles(second)).toEqual(["Hi, I'm Sprout.", "hello", "Hi!", "Book"]);
    expect(($(second, ".replies button") as HTMLButtonElement).disabled).toBe(true);
    sockets[1].confirm();
    expect(sockets[1].sent("session_request")[0]).toEqual(session);
  });

  it("starts over with a new session and an empty conversation", () => {
    const widget = start();
    widget.open();
    const socket = sockets[0];
    socket.confirm();
    type(widget, "hello");
    const before = localStorage.getItem("test:session");

    $<HTMLButtonElement>(widget, ".restart").click();
    expect(bubbles(widget)).toEqual(["Hi, I'm Sprout."]);
    expect(localStorage.getItem("test:transcript")).toBe("[]");
    expect(socket.disconnects).toBe(1);
    expect(socket.connects).toBe(1);
    socket.confirm();
    const after = socket.sent("session_request").slice(-1)[0] as { session_id: string };
    expect(after.session_id).not.toBe(before);
    expect(after.session_id).toBe(localStorage.getItem("test:session"));
    expect(widget.root.activeElement).toBe($(widget, "input"));
  });

  it("uses a readable text colour on the brand colour", () => {
    const widget = mount({ ...config, color: "#ffeb3b" }, () => new FakeSocket(), new Store("y:"));
    const frame = $<HTMLElement>(widget, ".sw");
    expect(frame.style.getPropertyValue("--sw-on-accent")).toBe("#111111");
  });
});
