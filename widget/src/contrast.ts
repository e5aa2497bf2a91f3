// Colours derived from the embedder's data-color so every text/background pair meets
// WCAG 2.1 AA (4.5:1) whatever brand colour the clinic picks.

export type Rgb = [number, number, number];

export const DEFAULT_COLOR = "#2e6b4f";
const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [17, 17, 17];
/** Background of bot bubbles; links inside them must stay readable on it. */
export const BOT_BUBBLE: Rgb = [238, 241, 244];
const AA = 4.5;

export function parseHex(value: string | null | undefined): Rgb | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value ?? "").trim());
  if (!match) return null;
  let hex = match[1];
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

export function toHex(rgb: Rgb): string {
  return "#" + rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
}

export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Darken a colour step by step until it reaches AA contrast against `against`. */
export function darkenFor(color: Rgb, against: Rgb): Rgb {
  let current: Rgb = [...color] as Rgb;
  while (contrastRatio(current, against) < AA && current.some((c) => c > 0)) {
    current = current.map((c) => Math.max(0, c * 0.92 - 1)) as Rgb;
  }
  return current;
}

export interface Theme {
  /** Brand colour used as a background (header, launcher, user bubbles). */
  accent: string;
  /** Text and icons drawn on the accent. */
  onAccent: string;
  /** Brand colour used as text (links, quick replies, focus rings) on light surfaces. */
  accentText: string;
}

export function themeFor(color: string | null | undefined): Theme {
  let accent = parseHex(color) ?? (parseHex(DEFAULT_COLOR) as Rgb);
  const white = contrastRatio(accent, WHITE);
  const ink = contrastRatio(accent, INK);
  let onAccent = white >= ink ? WHITE : INK;
  if (Math.max(white, ink) < AA) {
    accent = darkenFor(accent, WHITE);
    onAccent = WHITE;
  }
  return {
    accent: toHex(accent),
    onAccent: toHex(onAccent),
    accentText: toHex(darkenFor(accent, BOT_BUBBLE)),
  };
}
