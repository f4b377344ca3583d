import { describe, expect, it } from "vitest";
import { axisTicks, usdTick } from "./format";

describe("axisTicks", () => {
  it("goes from 0 to at least the largest amount in round steps", () => {
    expect(axisTicks(4_665)).toEqual([0, 2_000, 4_000, 6_000]);
    expect(axisTicks(10_000)).toEqual([0, 2_500, 5_000, 7_500, 10_000]);
    expect(axisTicks(1_230_000)).toEqual([0, 500_000, 1_000_000, 1_500_000]);
    expect(axisTicks(3).map(usdTick)).toEqual(["$0.00", "$0.000001", "$0.000002", "$0.000003"]);
  });

  it("is one tick at 0 when nothing was spent", () => {
    expect(axisTicks(0)).toEqual([0]);
  });
});
