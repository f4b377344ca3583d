import { describe, expect, it } from "vitest";
import { linkedAccountName } from "./linked-account";

describe("linkedAccountName", () => {
  it("is the channel's name for the account when it has one", () => {
    expect(linkedAccountName({ displayName: "Ada", externalId: "oAbcdefghijklmnopqrstuvwxyz1" })).toBe("Ada");
  });

  it("shortens a long id to its first and last four characters when there is no name", () => {
    expect(linkedAccountName({ displayName: null, externalId: "oAbcdefghijklmnopqrstuvwxyz1" })).toBe("oAbc…xyz1");
    expect(linkedAccountName({ displayName: "  ", externalId: "oAbcdefghijklmnopqrstuvwxyz1" })).toBe("oAbc…xyz1");
  });

  it("shows a short id whole (a WeCom UserID such as zhangsan)", () => {
    expect(linkedAccountName({ displayName: null, externalId: "zhangsan" })).toBe("zhangsan");
    expect(linkedAccountName({ displayName: null, externalId: "abcdefghijkl" })).toBe("abcdefghijkl");
    expect(linkedAccountName({ displayName: null, externalId: "abcdefghijklm" })).toBe("abcd…jklm");
  });
});
