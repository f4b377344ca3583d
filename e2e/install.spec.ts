import { expect, test } from "./fixtures";

// "Add to Home Screen": the manifest and every icon it names load without a session (the browser fetches them
// without the user's cookies, and before anyone signs in), and each icon is the PNG of the size it claims.

type Manifest = {
  name?: string;
  short_name?: string;
  start_url?: string;
  display?: string;
  theme_color?: string;
  background_color?: string;
  icons?: { src: string; sizes: string; type: string; purpose?: string }[];
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test("the web app manifest and its icons are served to a visitor who is not signed in", async ({ playwright }) => {
  const visitor = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL });
  const response = await visitor.get("/manifest.webmanifest", { maxRedirects: 0 });
  expect(response.status()).toBe(200);
  const manifest = JSON.parse(await response.text()) as Manifest;
  expect(manifest).toMatchObject({ name: "ChatLedger", start_url: "/", display: "standalone" });
  expect(manifest.short_name).toBeTruthy();
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);

  const icons = manifest.icons ?? [];
  expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(icons.some((icon) => icon.purpose?.split(" ").includes("maskable"))).toBe(true);
  for (const icon of icons) {
    const image = await visitor.get(icon.src, { maxRedirects: 0 });
    expect(image.status(), icon.src).toBe(200);
    expect(image.headers()["content-type"], icon.src).toBe("image/png");
    const { width, height } = pngSize(await image.body());
    expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
  }

  // The page names them: the manifest, and the icon iOS puts on the home screen.
  const signIn = await visitor.get("/sign-in");
  const html = await signIn.text();
  expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
  const apple = html.match(/<link rel="apple-touch-icon" href="([^"]+)"/)?.[1];
  expect(apple).toBeTruthy();
  const appleIcon = await visitor.get(apple ?? "");
  expect(appleIcon.headers()["content-type"]).toBe("image/png");
  expect(pngSize(await appleIcon.body())).toEqual({ width: 180, height: 180 });
  await visitor.dispose();
});

test("a shared link unfurls into the social preview, and crawlers are kept to the front door", async ({
  playwright,
}) => {
  const visitor = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL });
  const html = await (await visitor.get("/sign-in")).text();
  const base = new URL(process.env.E2E_BASE_URL ?? "");
  // Absolute, on this server as it was reached: a link preview fetches it from elsewhere.
  const image = html.match(/<meta property="og:image" content="([^"]+)"/)?.[1] ?? "";
  expect(image).toBe(`${base.origin}/og.png`);
  expect(html).toContain('<meta property="og:image:width" content="1200"');
  expect(html).toContain('<meta name="twitter:card" content="summary_large_image"');
  const preview = await visitor.get(new URL(image).pathname, { maxRedirects: 0 });
  expect(preview.status()).toBe(200);
  expect(preview.headers()["content-type"]).toBe("image/png");
  expect(pngSize(await preview.body())).toEqual({ width: 1200, height: 630 });

  const robots = await visitor.get("/robots.txt", { maxRedirects: 0 });
  expect(robots.status()).toBe(200);
  const rules = await robots.text();
  expect(rules).toMatch(/^User-agent: \*$/m);
  expect(rules).toMatch(/^Disallow: \/$/m);
  expect(rules).toMatch(/^Allow: \/sign-in$/m);
  await visitor.dispose();
});
