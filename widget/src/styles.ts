// Styles live inside the shadow root: the clinic's CSS cannot reach in, ours cannot leak out.
// Inherited properties (letter-spacing, line-height...) still flow in through the host
// element, so `.sw` resets everything before setting its own.
// Motion only runs for users who have not asked for reduced motion.

export const CSS = `
:host { all: initial; }
.sw { all: initial; display: block; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1b1f24; text-align: left; }
.sw *, .sw *::before, .sw *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button { font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid var(--sw-focus); outline-offset: 2px; }
.launcher { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; width: 56px; height: 56px;
  display: flex; align-items: center; justify-content: center; border-radius: 50%;
  border: 2px solid var(--sw-on-accent); background: var(--sw-accent); color: var(--sw-on-accent);
  box-shadow: 0 4px 14px rgba(0, 0, 0, .3); }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; display: flex; flex-direction: column;
  width: min(380px, calc(100vw - 32px)); height: min(600px, calc(100vh - 32px)); background: #fff;
  border-radius: 12px; box-shadow: 0 8px 32px rgba(0, 0, 0, .28); overflow: hidden; }
@media (max-width: 480px), (max-height: 480px) {
  .panel { right: 0; bottom: 0; width: 100%; height: 100%; border-radius: 0; }
}
.head { display: flex; align-items: center; gap: 8px; padding: 8px 8px 8px 14px;
  background: var(--sw-accent); color: var(--sw-on-accent); }
.head h2 { flex: 1; min-width: 0; margin: 0; font-size: 1.05em; font-weight: 600; overflow-wrap: anywhere; }
.head button { min-height: 36px; padding: 4px 10px; border: 1px solid currentColor; border-radius: 6px;
  background: transparent; color: inherit; font-size: .875em; }
.head .close { min-width: 40px; border-color: transparent; font-size: 1.5em; line-height: 1; }
.head button:focus-visible { outline-color: var(--sw-on-accent); outline-offset: -4px; }
.state { margin: 0; padding: 6px 14px; background: #fff4ce; color: #4d3900; font-size: .9em; }
.state:empty { display: none; }
.log { flex: 1; min-height: 0; overflow-y: auto; display: flex; flex-direction: column; gap: 10px; padding: 14px; }
.msg { display: flex; flex-direction: column; max-width: 88%; }
.msg.bot { align-self: flex-start; }
.msg.user { align-self: flex-end; align-items: flex-end; }
.bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.bot .bubble { background: #eef1f4; color: #1b1f24; border-bottom-left-radius: 4px; }
.user .bubble { background: var(--sw-accent); color: var(--sw-on-accent); border-bottom-right-radius: 4px; }
.bubble a { color: var(--sw-focus); text-decoration: underline; }
.replies { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.replies button { min-height: 36px; padding: 6px 12px; border: 2px solid var(--sw-focus); border-radius: 18px;
  background: #fff; color: var(--sw-focus); font-size: .9em; text-align: left; }
.replies button:disabled { border-color: #c4c9cf; background: #f4f5f7; color: #5c6269; cursor: default; }
.typing { display: flex; gap: 4px; align-items: center; padding: 0 14px 8px; color: #5c6269; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; opacity: .6; }
.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #d5dadf; }
.composer input { flex: 1; min-width: 0; padding: 8px 10px; border: 1px solid #6b7178; border-radius: 8px;
  background: #fff; color: #1b1f24; font: inherit; }
.composer input::placeholder { color: #5c6269; }
.composer button { padding: 8px 14px; border: 0; border-radius: 8px; background: var(--sw-accent);
  color: var(--sw-on-accent); }
@media (prefers-reduced-motion: no-preference) {
  .panel { animation: sw-in .18s ease-out; }
  .dot { animation: sw-blink 1.2s infinite ease-in-out both; }
  .dot:nth-child(2) { animation-delay: .2s; }
  .dot:nth-child(3) { animation-delay: .4s; }
  .log { scroll-behavior: smooth; }
}
@keyframes sw-in { from { opacity: 0; transform: translateY(12px); } to { opacity: 1; transform: none; } }
@keyframes sw-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
`;
