// Renders the installable app's PNG icons (public/icons/, listed in public/manifest.webmanifest) from app/icon.svg,
// the one drawing of the logo: `npm run icons` after changing it, and commit the PNGs. sharp comes with Next.
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";

const root = path.resolve(__dirname, "..");
const out = (name: string) => path.join(root, "public/icons", name);

/** The logo's lines (everything inside the svg but its title and rounded background), on the 32-unit grid. */
function logoParts(svg: string): { background: string; lines: string } {
  const background = svg.match(/<rect[^>]*fill="(#[0-9a-fA-F]{3,6})"/)?.[1];
  const lines = svg.match(/<path[^>]*\/>/g)?.join("");
  if (!background || !lines) throw new Error("app/icon.svg: expected a filled <rect> and the <path> lines");
  return { background, lines };
}

/**
 * A full-bleed square (no transparent corners: the platform rounds or masks it), the lines scaled by `scale` about
 * the centre. Maskable icons keep their content inside the central 80% circle, so they draw the lines smaller.
 */
function squareSvg({ background, lines }: { background: string; lines: string }, scale: number): string {
  const offset = 16 - 16 * scale;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="${background}"/>` +
    `<g transform="translate(${offset} ${offset}) scale(${scale})">${lines}</g></svg>`
  );
}

async function render(svg: string, size: number, name: string) {
  await sharp(Buffer.from(svg), { density: 72 * (size / 32) })
    .resize(size, size)
    .png({ compressionLevel: 9, palette: true })
    .toFile(out(name));
  console.log(`public/icons/${name} (${size}×${size})`);
}

async function main() {
  const source = await readFile(path.join(root, "app/icon.svg"), "utf8");
  const parts = logoParts(source);
  // "any" icons: the logo as drawn, rounded corners and all.
  await render(source, 192, "icon-192.png");
  await render(source, 512, "icon-512.png");
  // Maskable: the lines within the safe zone, the colour to every edge.
  await render(squareSvg(parts, 0.75), 512, "maskable-512.png");
  // iOS rounds the home-screen icon itself and shows transparency as black: a full square.
  await render(squareSvg(parts, 1), 180, "apple-touch-icon.png");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
