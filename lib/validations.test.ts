import { describe, expect, it } from "vitest";
import { english } from "@/test/english";
import { budgetFormValues } from "./billing/budget";
import { formatUsdPlain, parseUsdPer1M } from "./billing/money";
import { messageLengthProblem, titleFromMessage } from "./input-rules";
import {
  adminBudgetSchema,
  budgetChoiceMicros,
  budgetFormSchema,
  chatRequestSchema,
  conversationPageSchema,
  conversationSearchSchema,
  conversationUpdateSchema,
  firstIssue,
  inviteFormSchema,
  passwordSchema,
  signUpSchema,
} from "./validations";

describe("titleFromMessage", () => {
  it("keeps short messages whole and flattens whitespace", () => {
    expect(titleFromMessage("  Hello\n\nworld  ")).toBe("Hello world");
  });
  it("cuts long messages at a word boundary with an ellipsis", () => {
    const title = titleFromMessage("Explain the difference between a process and a thread in operating systems please");
    expect(title.endsWith("…")).toBe(true);
    expect(title.length).toBeLessThanOrEqual(61);
    expect(title).toBe("Explain the difference between a process and a thread in…");
  });
  it("handles Chinese text without spaces", () => {
    expect(titleFromMessage("你".repeat(80))).toBe(`${"你".repeat(60)}…`);
  });
  it("never returns an empty title", () => {
    expect(titleFromMessage("   ")).toBe("New chat");
  });
});

describe("conversation schemas", () => {
  it("take a title of 1–200 characters, trimmed, and pinned as a boolean, nothing else", () => {
    expect(conversationUpdateSchema.parse({ title: "  Trip to Kyoto 京都 " })).toEqual({ title: "Trip to Kyoto 京都" });
    expect(conversationUpdateSchema.parse({ pinned: false })).toEqual({ pinned: false });
    const refusals: [unknown, string][] = [
      [{ title: "   " }, "A title cannot be empty."],
      [{ title: "x".repeat(201) }, "A title can be at most 200 characters long."],
      [{ title: "a\0b" }, "A title cannot contain the NUL character."],
      [{ pinned: "yes" }, "pinned must be true or false."],
      [{}, "Send a new title, or pinned: true or false."],
    ];
    for (const [input, message] of refusals) {
      const parsed = conversationUpdateSchema.safeParse(input);
      expect(parsed.success ? null : english(firstIssue(parsed.error)), JSON.stringify(input)).toBe(message);
    }
    expect(conversationUpdateSchema.safeParse({ title: "ok", userId: "someone" }).success).toBe(false);
    expect(conversationUpdateSchema.safeParse(null).success).toBe(false);
  });

  it("take search text of 1–200 characters", () => {
    expect(conversationSearchSchema.parse({ q: " 预算 " })).toEqual({ q: "预算" });
    for (const q of [undefined, "", "  ", "x".repeat(201), "ab\0c"]) {
      expect(conversationSearchSchema.safeParse({ q }).success, JSON.stringify(q)).toBe(false);
    }
  });

  it("take a page size of 1–100 (50 by default) and an optional cursor", () => {
    expect(conversationPageSchema.parse({})).toEqual({ limit: 50 });
    expect(conversationPageSchema.parse({ limit: "100", cursor: "abc" })).toEqual({ limit: 100, cursor: "abc" });
    for (const limit of ["0", "101", "1.5", "ten"])
      expect(conversationPageSchema.safeParse({ limit }).success).toBe(false);
  });
});

describe("passwordSchema", () => {
  it.each([
    ["short", "a1b2c3"],
    ["letters only", "abcdefghijkl"],
    ["digits only", "123456789012"],
    ["over 72 bytes", `a1${"密".repeat(30)}`],
  ])("rejects %s", (_label, password) => {
    expect(passwordSchema.safeParse(password).success).toBe(false);
  });
  it("accepts a mixed password and a Chinese passphrase with digits", () => {
    expect(passwordSchema.safeParse("correct horse 42").success).toBe(true);
    expect(passwordSchema.safeParse("我的密码是2023年").success).toBe(true);
  });
});

describe("signUpSchema", () => {
  it("normalises the email", () => {
    const parsed = signUpSchema.parse({ email: "  Ada@Example.COM ", password: "lovelace1815" });
    expect(parsed.email).toBe("ada@example.com");
  });
  it("rejects a malformed email", () => {
    expect(signUpSchema.safeParse({ email: "ada@", password: "lovelace1815" }).success).toBe(false);
  });
});

describe("chatRequestSchema", () => {
  const base = { conversationId: "c_12345678", model: "gpt-5-mini" };
  it("requires a non-blank message unless retrying", () => {
    expect(chatRequestSchema.safeParse({ ...base, text: "   " }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ ...base, text: "hi" }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ ...base, retry: true }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ ...base, retry: true, text: "hi" }).success).toBe(false);
  });
  it("takes one kind of turn: regenerate and continue name a message and carry no text, edit carries its new text", () => {
    const id = "cmabc12345678";
    expect(chatRequestSchema.safeParse({ ...base, regenerate: id }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ ...base, continue: id }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ ...base, edit: id, text: "better" }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ ...base, edit: id, text: " " }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ ...base, regenerate: id, text: "hi" }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ ...base, regenerate: id, continue: id }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ ...base, regenerate: "../x" }).success).toBe(false);
  });
  it("bounds a message by characters and by bytes: 32,000 Chinese characters fit, 32,000 emoji do not", () => {
    expect(chatRequestSchema.safeParse({ ...base, text: "预".repeat(32_000) }).success).toBe(true);
    const emoji = chatRequestSchema.safeParse({ ...base, text: "😀".repeat(32_000) });
    expect(emoji.success).toBe(false);
    expect(english(emoji.error && firstIssue(emoji.error))).toBe(
      "This message is 128,000 bytes long (UTF-8); messages are limited to 96,000 bytes.",
    );
    const long = chatRequestSchema.safeParse({ ...base, text: "x".repeat(32_001) });
    expect(english(long.error && firstIssue(long.error))).toBe(
      "This message is 32,001 characters long; messages are limited to 32,000 characters.",
    );
  });
  it("counts characters as code points, like the limit the composer shows", () => {
    expect(english(messageLengthProblem("😀".repeat(24_000)))).toBeNull();
    expect(english(messageLengthProblem("😀".repeat(24_001)))).toBe(
      "This message is 96,004 bytes long (UTF-8); messages are limited to 96,000 bytes.",
    );
    expect(english(messageLengthProblem("x".repeat(32_000)))).toBeNull();
    expect(english(messageLengthProblem(`${"x".repeat(31_999)}😀😀`))).toMatch(
      /^This message is 32,001 characters long/,
    );
  });
  it("rejects unknown fields and bad ids", () => {
    expect(chatRequestSchema.safeParse({ ...base, text: "hi", messages: [] }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ ...base, conversationId: "../../etc", text: "hi" }).success).toBe(false);
  });
});

describe("budgetFormSchema", () => {
  it.each([1_000_000_000, 6_000, 1_234_567, 999_999_999_999_999])(
    "accepts the amount the form pre-fills for %i micro-USD, and it parses back to the same amount",
    (micros) => {
      const parsed = budgetFormSchema.safeParse({ mode: "limited", amountUsd: formatUsdPlain(micros) });
      expect(parsed.success).toBe(true);
      expect(parsed.success && parsed.data.mode === "limited" && parseUsdPer1M(parsed.data.amountUsd)).toBe(micros);
    },
  );

  it.each(["1,000.00", "12,50", "-1", "1e3", "0.1234567", "", " "])("refuses %j with a clear message", (amountUsd) => {
    const parsed = budgetFormSchema.safeParse({ mode: "limited", amountUsd });
    expect(parsed.success).toBe(false);
    expect(english(parsed.error && firstIssue(parsed.error))).toMatch(/amount in USD/);
  });

  it("needs no amount for the server default or unlimited", () => {
    expect(budgetFormSchema.safeParse({ mode: "default" }).success).toBe(true);
    expect(budgetFormSchema.safeParse({ mode: "unlimited", amountUsd: "garbage" }).success).toBe(true);
  });
});

describe("budgetFormValues", () => {
  it("shows a saved limit as exact plain text, and a budget an administrator set as such", () => {
    expect(
      budgetFormValues({ budgetMode: "limited", monthlyBudgetMicros: 1_000_000_000, isBudgetSetByAdmin: false }),
    ).toEqual({ mode: "limited", amountUsd: "1000" });
    expect(budgetFormValues({ budgetMode: "default", monthlyBudgetMicros: null, isBudgetSetByAdmin: false })).toEqual({
      mode: "default",
      amountUsd: "",
    });
    expect(
      budgetFormValues({ budgetMode: "limited", monthlyBudgetMicros: 50_000_000, isBudgetSetByAdmin: true }),
    ).toEqual({ mode: "admin", amountUsd: "" });
  });

  it("round-trips through the schema to the same amount", () => {
    const values = budgetFormValues({
      budgetMode: "limited",
      monthlyBudgetMicros: 1_234_567,
      isBudgetSetByAdmin: false,
    });
    const parsed = budgetFormSchema.parse(values);
    expect(budgetChoiceMicros(parsed)).toBe(1_234_567);
  });
});

describe("adminBudgetSchema", () => {
  it("names a user and one of default, a limit or unlimited, not the user's own 'keep'", () => {
    expect(adminBudgetSchema.parse({ userId: "u1", mode: "limited", amountUsd: "50" })).toEqual({
      userId: "u1",
      mode: "limited",
      amountUsd: "50",
    });
    expect(adminBudgetSchema.safeParse({ userId: "u1", mode: "admin" }).success).toBe(false);
    expect(adminBudgetSchema.safeParse({ mode: "default" }).success).toBe(false);
  });
});

describe("inviteFormSchema", () => {
  it("takes an optional address and one of the offered expiries", () => {
    expect(inviteFormSchema.parse({ email: " ", expiresInDays: "7" })).toEqual({ email: null, expiresInDays: 7 });
    expect(inviteFormSchema.parse({ email: "Ada@Example.com", expiresInDays: "30" })).toEqual({
      email: "ada@example.com",
      expiresInDays: 30,
    });
    expect(inviteFormSchema.safeParse({ email: "nope", expiresInDays: "7" }).success).toBe(false);
    expect(inviteFormSchema.safeParse({ email: "", expiresInDays: "365" }).success).toBe(false);
  });
});
