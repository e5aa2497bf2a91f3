import { describe, expect, it } from "vitest";
import { renderRichText, safeUrl } from "../src/format";

function render(text: string): HTMLDivElement {
  const div = document.createElement("div");
  div.append(renderRichText(text, document));
  return div;
}

describe("renderRichText", () => {
  it("shows markup in a reply as text", () => {
    const div = render('Hi <img src=x onerror=alert(1)> and <script>alert("x")</script>');
    expect(div.querySelector("img")).toBeNull();
    expect(div.querySelector("script")).toBeNull();
    expect(div.textContent).toBe('Hi <img src=x onerror=alert(1)> and <script>alert("x")</script>');
  });

  it("builds bold and italic from DOM nodes", () => {
    const div = render("This is **very important** and _gentle_ advice.");
    expect(div.querySelector("strong")?.textContent).toBe("very important");
    expect(div.querySelector("em")?.textContent).toBe("gentle");
    expect(div.textContent).toBe("This is very important and gentle advice.");
  });

  it("leaves snake_case words and unclosed markers alone", () => {
    const div = render("call utter_faq_insurance or **half");
    expect(div.querySelector("em, strong")).toBeNull();
    expect(div.textContent).toBe("call utter_faq_insurance or **half");
  });

  it("keeps markup inside emphasis as text", () => {
    const div = render("**<b>bold</b>**");
    expect(div.querySelector("b")).toBeNull();
    expect(div.querySelector("strong")?.textContent).toBe("<b>bold</b>");
  });

  it("links bare http(s) URLs safely, without trailing punctuation", () => {
    const div = render("See https://example.org/a_b_c. Thanks!");
    const link = div.querySelector("a");
    expect(link?.getAttribute("href")).toBe("https://example.org/a_b_c");
    expect(link?.textContent).toBe("https://example.org/a_b_c");
    expect(link?.target).toBe("_blank");
    expect(link?.rel).toBe("noopener noreferrer");
    expect(div.querySelector("em")).toBeNull();
    expect(div.textContent).toBe("See https://example.org/a_b_c. Thanks!");
  });

  it("links markdown links only when they are http(s)", () => {
    const good = render("Read [our guide](https://clinic.example/guide) first");
    expect(good.querySelector("a")?.textContent).toBe("our guide");
    expect(good.querySelector("a")?.href).toBe("https://clinic.example/guide");

    const bad = render("Click [here](javascript:alert(1)) or [there](data:text/html,hi)");
    expect(bad.querySelector("a")).toBeNull();
    expect(bad.textContent).toContain("here");
  });

  it("does not link other schemes written out", () => {
    const div = render("javascript:alert(1) ftp://files.example");
    expect(div.querySelector("a")).toBeNull();
  });
});

describe("safeUrl", () => {
  it.each([
    ["https://a.example/x", "https://a.example/x"],
    ["http://a.example", "http://a.example/"],
    ["javascript:alert(1)", null],
    ["JaVaScRiPt:alert(1)", null],
    ["data:text/html,x", null],
    ["/relative", null],
    ["mailto:a@b.example", null],
  ])("%s -> %s", (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });
});
