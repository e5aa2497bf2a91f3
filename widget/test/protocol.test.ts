import { describe, expect, it } from "vitest";
import { readBotMessage } from "../src/protocol";

describe("readBotMessage", () => {
  it("reads Rasa's quick_replies and plain buttons", () => {
    expect(
      readBotMessage({
        text: "Pick one",
        quick_replies: [{ content_type: "text", title: "Book", payload: "/book_consultation" }],
      }),
    ).toEqual({ text: "Pick one", replies: [{ title: "Book", payload: "/book_consultation" }] });
    expect(readBotMessage({ text: "x", buttons: [{ title: "Yes" }] })?.replies).toEqual([
      { title: "Yes", payload: "Yes" },
    ]);
  });

  it("ignores junk", () => {
    expect(readBotMessage(null)).toBeNull();
    expect(readBotMessage("text")).toBeNull();
    expect(readBotMessage({ text: 5 })).toBeNull();
    expect(readBotMessage({ text: "a", quick_replies: [null, { title: 3 }] })?.replies).toEqual([]);
  });

  it("shows an image attachment as its URL", () => {
    expect(readBotMessage({ attachment: { payload: { src: "https://x.example/a.png" } } })?.text).toBe(
      "https://x.example/a.png",
    );
  });
});
