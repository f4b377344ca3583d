import { describe, expect, it } from "vitest";
import { english } from "@/test/english";
import {
  budgetLevel,
  budgetPercent,
  budgetSource,
  effectiveLimit,
  fitsBudget,
  monthStart,
  nextMonthStart,
  ownBudgetRefusal,
} from "./budget";

describe("months", () => {
  it("start at 00:00 UTC on the first, across year ends", () => {
    expect(monthStart(new Date("2026-11-22T23:59:59.999Z")).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(nextMonthStart(new Date("2026-12-31T12:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("effectiveLimit", () => {
  it("follows the server default until the user chooses", () => {
    expect(effectiveLimit({ mode: "default", monthlyBudgetMicros: null, defaultMicros: 10_000_000 })).toBe(10_000_000);
    expect(effectiveLimit({ mode: "limited", monthlyBudgetMicros: 2_500_000, defaultMicros: 10_000_000 })).toBe(
      2_500_000,
    );
    expect(effectiveLimit({ mode: "unlimited", monthlyBudgetMicros: 5, defaultMicros: 10_000_000 })).toBeNull();
    expect(effectiveLimit({ mode: "default", monthlyBudgetMicros: null, defaultMicros: null })).toBeNull();
  });

  it("caps what a user chose at the operator's maximum, unlimited included, but not what an administrator set", () => {
    const cap = { maxUserMicros: 20_000_000 };
    expect(effectiveLimit({ mode: "limited", monthlyBudgetMicros: 50_000_000, defaultMicros: null, ...cap })).toBe(
      20_000_000,
    );
    expect(effectiveLimit({ mode: "limited", monthlyBudgetMicros: 5_000_000, defaultMicros: null, ...cap })).toBe(
      5_000_000,
    );
    expect(effectiveLimit({ mode: "unlimited", monthlyBudgetMicros: null, defaultMicros: null, ...cap })).toBe(
      20_000_000,
    );
    expect(effectiveLimit({ mode: "default", monthlyBudgetMicros: null, defaultMicros: null, ...cap })).toBe(
      20_000_000,
    );
    const admin = { ...cap, isSetByAdmin: true };
    expect(effectiveLimit({ mode: "limited", monthlyBudgetMicros: 50_000_000, defaultMicros: null, ...admin })).toBe(
      50_000_000,
    );
    expect(effectiveLimit({ mode: "unlimited", monthlyBudgetMicros: null, defaultMicros: null, ...admin })).toBeNull();
  });
});

describe("budgetLevel", () => {
  it.each([
    [0, 100, "ok"],
    [79, 100, "ok"],
    [80, 100, "warning"],
    [99, 100, "warning"],
    [100, 100, "exceeded"],
    [150, 100, "exceeded"],
    [10 ** 12, null, "ok"],
  ] as const)("spent %d of %s is %s", (spentMicros, limitMicros, level) => {
    expect(budgetLevel({ spentMicros, limitMicros })).toBe(level);
  });
});

describe("fitsBudget", () => {
  it("allows reaching the limit exactly but not passing it", () => {
    expect(fitsBudget({ limitMicros: 1000, committedMicros: 600, reserveMicros: 400 })).toBe(true);
    expect(fitsBudget({ limitMicros: 1000, committedMicros: 600, reserveMicros: 401 })).toBe(false);
    expect(fitsBudget({ limitMicros: null, committedMicros: 10 ** 12, reserveMicros: 10 ** 12 })).toBe(true);
  });
});

describe("budgetPercent", () => {
  it("counts what is reserved, floors, and caps at 100", () => {
    expect(budgetPercent({ limitMicros: 1_000_000, spentMicros: 500_000, reservedMicros: 299_999 })).toBe(79);
    expect(budgetPercent({ limitMicros: 1_000_000, spentMicros: 500_000, reservedMicros: 300_000 })).toBe(80);
    expect(budgetPercent({ limitMicros: 1_000_000, spentMicros: 2_000_000, reservedMicros: 0 })).toBe(100);
  });

  it("is null when unlimited and full for a zero budget", () => {
    expect(budgetPercent({ limitMicros: null, spentMicros: 5, reservedMicros: 5 })).toBeNull();
    expect(budgetPercent({ limitMicros: 0, spentMicros: 0, reservedMicros: 0 })).toBe(100);
  });
});

describe("budgetSource", () => {
  it("names who set the budget", () => {
    expect(budgetSource({ mode: "default", isSetByAdmin: false })).toBe("default");
    expect(budgetSource({ mode: "limited", isSetByAdmin: false })).toBe("own");
    expect(budgetSource({ mode: "unlimited", isSetByAdmin: false })).toBe("own");
    expect(budgetSource({ mode: "limited", isSetByAdmin: true })).toBe("admin");
  });
});

describe("ownBudgetRefusal", () => {
  it("allows anything when the server sets no maximum", () => {
    expect(english(ownBudgetRefusal({ mode: "unlimited", monthlyBudgetMicros: null, maxUserMicros: null }))).toBeNull();
    expect(
      english(ownBudgetRefusal({ mode: "limited", monthlyBudgetMicros: 10 ** 12, maxUserMicros: null })),
    ).toBeNull();
  });

  it("allows up to the maximum, and the server default", () => {
    expect(
      english(ownBudgetRefusal({ mode: "limited", monthlyBudgetMicros: 20_000_000, maxUserMicros: 20_000_000 })),
    ).toBeNull();
    expect(
      english(ownBudgetRefusal({ mode: "default", monthlyBudgetMicros: null, maxUserMicros: 20_000_000 })),
    ).toBeNull();
  });

  it("refuses more than the maximum and unlimited, naming the maximum", () => {
    expect(
      english(ownBudgetRefusal({ mode: "limited", monthlyBudgetMicros: 20_000_001, maxUserMicros: 20_000_000 })),
    ).toBe("The most you can choose is $20.00 a month; an administrator can grant more.");
    expect(english(ownBudgetRefusal({ mode: "unlimited", monthlyBudgetMicros: null, maxUserMicros: 20_000_000 }))).toBe(
      "Unlimited is not available on this server: choose a limit of at most $20.00 a month.",
    );
  });
});
