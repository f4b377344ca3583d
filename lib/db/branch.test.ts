import { describe, expect, it } from "vitest";
import { activeBranch, newestLeafUnder, type TreeMessage, versionIds } from "./branch";

let clock = 0;
function message(id: string, parentId: string | null, role = "user", isContinuation = false): TreeMessage {
  clock += 1;
  return { id, parentId, role, isContinuation, createdAt: new Date(clock * 1000) };
}

// u1 → a1 → u2 → a2, a2 regenerated as a2b; u2 edited as u2b → a3; a3 continued by a3c.
const tree = [
  message("u1", null),
  message("a1", "u1", "assistant"),
  message("u2", "a1"),
  message("a2", "u2", "assistant"),
  message("a2b", "u2", "assistant"),
  message("u2b", "a1"),
  message("a3", "u2b", "assistant"),
  message("a3c", "a3", "assistant", true),
];
const ids = (messages: TreeMessage[]) => messages.map((m) => m.id);

describe("the active branch", () => {
  it("is the path from the leaf up to the root, oldest first", () => {
    expect(ids(activeBranch(tree, "a3c"))).toEqual(["u1", "a1", "u2b", "a3", "a3c"]);
    expect(ids(activeBranch(tree, "a2"))).toEqual(["u1", "a1", "u2", "a2"]);
  });
  it("ends at the newest message without a known leaf (a chat stored before branches)", () => {
    expect(ids(activeBranch(tree, null))).toEqual(["u1", "a1", "u2b", "a3", "a3c"]);
    expect(ids(activeBranch(tree, "gone"))).toEqual(["u1", "a1", "u2b", "a3", "a3c"]);
    expect(activeBranch([], null)).toEqual([]);
  });
  it("never loops on a parent cycle", () => {
    const cycle = [message("x", "y"), message("y", "x")];
    expect(ids(activeBranch(cycle, "x"))).toEqual(["y", "x"]);
  });
});

describe("versions", () => {
  it("are the messages with the same parent and role, oldest first; a continuation has none", () => {
    const byId = new Map(tree.map((m) => [m.id, m]));
    const of = (id: string) => versionIds(tree, byId.get(id) as TreeMessage);
    expect(of("a2b")).toEqual(["a2", "a2b"]);
    expect(of("u2")).toEqual(["u2", "u2b"]);
    expect(of("u1")).toEqual(["u1"]);
    expect(of("a3c")).toEqual(["a3c"]);
  });
  it("switching to one shows the conversation as it last went on from it", () => {
    expect(newestLeafUnder(tree, "u2")).toBe("a2b");
    expect(newestLeafUnder(tree, "a2")).toBe("a2");
    expect(newestLeafUnder(tree, "u2b")).toBe("a3c");
    expect(newestLeafUnder(tree, "u1")).toBe("a3c");
  });
});
