import { describe, expect, it } from "vitest";
import {
  type ConversationItem,
  compareConversations,
  groupConversations,
  mergeFirstPage,
  placeConversation,
} from "./history";

const item = (id: string, updatedAt: string, pinnedAt: string | null = null): ConversationItem => ({
  id,
  title: `Chat ${id}`,
  updatedAt,
  pinnedAt,
  source: "web",
});

describe("groupConversations", () => {
  // Local time: the groups follow the browser's calendar (vitest runs in the machine's time zone).
  const now = new Date(2026, 10, 20, 9, 30);
  const local = (day: number, hour = 12) => new Date(2026, 10, day, hour).toISOString();

  it("puts pinned first, then Today, Yesterday, Previous 7 days and Older, leaving out empty groups", () => {
    const groups = groupConversations(
      [
        item("pinned", local(1), local(19)),
        item("today", local(20, 0)),
        item("yesterday-late", local(19, 23)),
        item("yesterday", local(19, 0)),
        item("six-days", local(14)),
        item("seven-days", local(13, 0)),
        item("older", local(12, 23)),
      ],
      now,
    );
    expect(groups.map((g) => [g.label, g.conversations.map((c) => c.id)])).toEqual([
      ["pinned", ["pinned"]],
      ["today", ["today"]],
      ["yesterday", ["yesterday-late", "yesterday"]],
      ["previous7Days", ["six-days", "seven-days"]],
      ["older", ["older"]],
    ]);
    expect(groupConversations([item("a", local(20))], now).map((g) => g.label)).toEqual(["today"]);
  });
});

describe("the list's order and pages", () => {
  const a = item("a", "2026-11-20T10:00:00.000Z");
  const b = item("b", "2026-11-20T09:00:00.000Z");
  const c = item("c", "2026-11-20T08:00:00.000Z");
  const d = item("d", "2026-11-20T07:00:00.000Z");

  it("orders pinned first, then newest, then by id", () => {
    const pinned = item("p", "2026-01-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z");
    const tie = item("z", b.updatedAt);
    expect([c, b, pinned, a, tie].sort(compareConversations).map((x) => x.id)).toEqual(["p", "a", "z", "b", "c"]);
  });

  it("places a changed conversation, or leaves it to a later page when it sorts past what is loaded", () => {
    const unpinned = { ...a, updatedAt: "2026-11-19T00:00:00.000Z" };
    expect(placeConversation({ conversations: [a, b, c], nextCursor: null }, unpinned).conversations).toEqual([
      b,
      c,
      unpinned,
    ]);
    expect(placeConversation({ conversations: [a, b, c], nextCursor: "more" }, unpinned).conversations).toEqual([b, c]);
    const renamed = { ...b, title: "Renamed" };
    expect(placeConversation({ conversations: [a, b, c], nextCursor: "more" }, renamed).conversations).toEqual([
      a,
      renamed,
      c,
    ]);
  });

  it("merges a reloaded first page with the pages loaded after it", () => {
    const fresh = item("new", "2026-11-21T00:00:00.000Z");
    // Two pages of two were loaded; a new chat pushes b onto the second page.
    expect(
      mergeFirstPage(
        { conversations: [a, b, c, d], nextCursor: "after-d" },
        { conversations: [fresh, a], nextCursor: "after-a" },
      ),
    ).toEqual({ conversations: [fresh, a, b, c, d], nextCursor: "after-d" });
    // Everything fits in the reloaded page: it is the whole list.
    expect(
      mergeFirstPage({ conversations: [a, b], nextCursor: null }, { conversations: [fresh, a, b], nextCursor: null }),
    ).toEqual({
      conversations: [fresh, a, b],
      nextCursor: null,
    });
    // Only the first page was loaded, and still is.
    expect(
      mergeFirstPage(
        { conversations: [a, b], nextCursor: "after-b" },
        { conversations: [b, a], nextCursor: "after-a" },
      ),
    ).toEqual({
      conversations: [b, a],
      nextCursor: "after-a",
    });
  });
});
