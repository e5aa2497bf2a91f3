// Entry point of widget.js: read the script tag's data-* settings and mount once.

import { readConfig } from "./config";
import { createSocket } from "./socket";
import { mount } from "./widget";

const script = document.currentScript as HTMLScriptElement | null;
const flag = "__sproutChatWidget";

function start(): void {
  const page = window as unknown as Record<string, unknown>;
  if (page[flag]) return;
  page[flag] = mount(readConfig(script, window.location.href), createSocket);
}

if (document.body) start();
else document.addEventListener("DOMContentLoaded", start, { once: true });
