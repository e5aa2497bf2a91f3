import { describe, expect, it } from "vitest";
import { BOT_BUBBLE, contrastRatio, parseHex, themeFor } from "../src/contrast";

const rgb = (hex: string) => parseHex(hex) as [number, number, number];

describe("contrast", () => {
  it("computes WCAG ratios", () => {
    expect(contrastRatio(rgb("#000"), rgb("#fff"))).toBeCloseTo(21, 5);
    expect(contrastRatio(rgb("#777777"), rgb("#ffffff"))).toBeCloseTo(4.48, 2);
  });

  it.each(["#ffeb3b", "#1565c0", "#e91e63", "#00bcd4", "#777777", "#ffffff", "#000000", "#2e6b4f"])(
    "keeps text at least 4.5:1 for %s",
    (color) => {
      const theme = themeFor(color);
      expect(contrastRatio(rgb(theme.accent), rgb(theme.onAccent))).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(rgb(theme.accentText), rgb("#ffffff"))).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(rgb(theme.accentText), BOT_BUBBLE)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it("puts dark text on light brand colours and white on dark ones", () => {
    expect(themeFor("#ffeb3b").onAccent).toBe("#111111");
    expect(themeFor("#1565c0").onAccent).toBe("#ffffff");
  });

  it("falls back to the default for anything that is not a hex colour", () => {
    expect(themeFor("red; background:url(x)")).toEqual(themeFor("#2e6b4f"));
    expect(parseHex("expression(alert(1))")).toBeNull();
  });
});
