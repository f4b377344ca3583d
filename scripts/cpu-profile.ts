// `npx tsx scripts/cpu-profile.ts FILE.cpuprofile [--top N]`: where a V8 CPU profile (node --cpu-prof, e.g. from
// `npm run bench:stream -- --profile DIR`) spent its time: self time per package (or the app's own code) and per
// function, as shares of the busy (non-idle) time.
import fs from "node:fs";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

function owner(url: string): string {
  if (!url) return "(native/V8)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const [scope = "", name = ""] = url.slice(modules + "node_modules/".length).split("/");
    return scope.startsWith("@") ? `${scope}/${name}` : scope;
  }
  if (url.startsWith("node:")) return "node (core)";
  if (url.includes("/.next/")) return "app (.next)";
  return url;
}

const file = process.argv[2];
if (!file) throw new Error("usage: cpu-profile.ts FILE.cpuprofile [--top N]");
const topIndex = process.argv.indexOf("--top");
const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const perOwner = new Map<string, number>();
const perFunction = new Map<string, number>();
let busy = 0;
let idle = 0;
for (const [id, micros] of self) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  if (frame.functionName === "(idle)" || frame.functionName === "(program)") {
    idle += micros;
    continue;
  }
  busy += micros;
  const who = owner(frame.url);
  perOwner.set(who, (perOwner.get(who) ?? 0) + micros);
  const key = `${frame.functionName || "(anonymous)"}  ${who}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
  perFunction.set(key, (perFunction.get(key) ?? 0) + micros);
}
const share = (micros: number) => `${((micros / busy) * 100).toFixed(1).padStart(5)}%`;
const list = (title: string, totals: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${share(micros)}  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
};
console.log(`busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
list("Self time per package", perOwner);
list("Self time per function", perFunction);
