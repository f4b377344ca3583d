// Renders the installable app's PNG icons (public/icons/, listed in public/manifest.webmanifest) and the social
// preview (public/og.png, app/layout.tsx) from app/icon.svg, the one drawing of the logo: `npm run icons` after
// changing it, and commit the PNGs. sharp comes with Next.
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

/** The social preview a shared link unfurls into (Open Graph, 1200×630): the logo, the name, what it does. */
function socialPreviewSvg({ background, lines }: { background: string; lines: string }): string {
  const font = "DejaVu Sans, Noto Sans, Helvetica, Arial, sans-serif";
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">` +
    `<rect width="1200" height="630" fill="#ffffff"/><rect y="594" width="1200" height="36" fill="${background}"/>` +
    `<g transform="translate(90 165)"><rect width="256" height="256" rx="56" fill="${background}"/>` +
    `<g transform="scale(8)">${lines}</g></g>` +
    `<text x="400" y="285" font-family="${font}" font-size="96" font-weight="700" fill="#18181b">ChatLedger</text>` +
    `<text x="404" y="358" font-family="${font}" font-size="34" fill="#3f3f46">Chat with OpenAI models, self-hosted.</text>` +
    `<text x="404" y="410" font-family="${font}" font-size="34" fill="#3f3f46">See exactly what every message costs.</text>` +
    "</svg>"
  );
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
  await sharp(Buffer.from(socialPreviewSvg(parts)))
    .png({ compressionLevel: 9, palette: true })
    .toFile(path.join(root, "public/og.png"));
  console.log("public/og.png (1200×630)");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
