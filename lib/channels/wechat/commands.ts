// The WeChat channels' commands, in Chinese and English (#帮助 or /help…): a message is one of them, or text to answer.

const COMMANDS = {
  help: ["#帮助", "/help"],
  new: ["#新对话", "/new", "/reset"],
  stats: ["#用量", "/stats"],
  link: ["#绑定", "/link"],
  model: ["#模型", "/model"],
} as const;

export type CommandName = keyof typeof COMMANDS;

/**
 * A command and its argument, "unknown" for a slash word that is no command (so "/foo" gets help, not the model), or
 * null for text to answer. The full-width ＃ of Chinese keyboards counts as #; Chinese commands need no space before
 * their argument ("#绑定ABCD…").
 */
export function parseWechatCommand(text: string): { name: CommandName | "unknown"; arg: string; word: string } | null {
  const trimmed = text.trim().replace(/^＃/, "#");
  for (const [name, words] of Object.entries(COMMANDS) as [CommandName, readonly string[]][]) {
    for (const word of words) {
      if (!trimmed.toLowerCase().startsWith(word)) continue;
      const rest = trimmed.slice(word.length);
      if (rest && word.startsWith("/") && !/^\s/.test(rest)) continue;
      return { name, arg: rest.trim(), word };
    }
  }
  const slash = /^\/[A-Za-z_]+$/.exec(trimmed.split(/\s/)[0] ?? "");
  return slash ? { name: "unknown", arg: "", word: slash[0] } : null;
}
