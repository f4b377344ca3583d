import { Api } from "grammy";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeTelegram } from "@/e2e/fake-telegram/server";
import { BOT_COMMANDS, registerCommands, registerWebhook, webhookUrl } from "./setup";

// npm run telegram:webhook's calls, against the fake Bot API server (which refuses what Telegram refuses).

const token = "7000000001:AAEsetupsetupsetupsetupsetupsetup12";
const fake = await startFakeTelegram({ token });
const api = new Api(token, { apiRoot: fake.url });

afterAll(() => fake.close());

const hook = async (path: string) => (await fetch(`${fake.url}${path}`)).json();

describe("telegram set-up", () => {
  it("registers the command menu in English for everyone and in Chinese for Chinese clients", async () => {
    await registerCommands(api);
    const menus = (await hook("/__commands")) as { language_code: string; commands: { command: string }[] }[];
    expect(menus.map((menu) => menu.language_code).sort()).toEqual(["", "zh"]);
    for (const menu of menus) expect(menu.commands.map((c) => c.command)).toEqual([...BOT_COMMANDS]);
    const chinese = menus.find((menu) => menu.language_code === "zh");
    expect(JSON.stringify(chinese)).toContain("开始新对话");
  });

  it("points the webhook at the app's public address with the secret and the handled updates", async () => {
    const url = webhookUrl("https://chat.example.com/some/page");
    expect(url).toBe("https://chat.example.com/api/telegram/webhook");
    await registerWebhook(api, { url, secret: "s".repeat(32) });
    expect(await hook("/__webhook")).toMatchObject({
      url,
      secret_token: "s".repeat(32),
      allowed_updates: ["message", "inline_query"],
    });
    expect(() => webhookUrl("http://chat.example.com")).toThrow(/HTTPS only/);
  });
});
