import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config";

function script(attrs: Record<string, string>): HTMLScriptElement {
  const tag = document.createElement("script");
  for (const [name, value] of Object.entries(attrs)) tag.setAttribute(name, value);
  return tag;
}

describe("readConfig", () => {
  it("reads the data attributes", () => {
    const config = readConfig(
      script({ src: "https://bot.example/w.js", "data-server": "http://127.0.0.1:5005/x", "data-title": "Kids PT", "data-color": "#123456" }),
      "https://clinic.example/",
    );
    expect(config).toMatchObject({ server: "http://127.0.0.1:5005", title: "Kids PT", color: "#123456" });
    expect(config.greeting).toContain("Kids PT");
  });

  it("defaults to the server that served the script and a safe colour", () => {
    const config = readConfig(
      script({ src: "https://bot.example/webhooks/website/widget.js", "data-color": "javascript:1" }),
      "https://clinic.example/",
    );
    expect(config.server).toBe("https://bot.example");
    expect(config.color).toBe("#2e6b4f");
    expect(config.title).toBe("Sprout");
  });

  it("refuses non-http servers", () => {
    const config = readConfig(script({ "data-server": "javascript:alert(1)" }), "https://clinic.example/p");
    expect(config.server).toBe("https://clinic.example");
  });
});
