// The one-click examples of the tokenizer page. Texts, not interface strings: each shows how its kind of text
// tokenizes whatever the interface's language.

export const EXAMPLES = {
  english:
    "ChatLedger counts every token twice: once before a request, to reserve the worst case against your budget, and " +
    "once after, from the usage the provider reports. Tokens are not words: “unbelievable” may be three tokens, " +
    "while “ the” is one, and numbers such as 1234567 are split into groups of digits.",
  chinese:
    "人工智能正在改变世界。机器学习是人工智能的一个重要分支，它让计算机能够从数据中学习规律，而不需要明确的编程。" +
    "同样一句话，中文通常比英文需要更多的令牌：一个汉字可能是一个令牌，也可能被拆成两三个字节级的令牌。",
  emojiAndCode:
    "Emoji are several code points: 👍🏽 (a skin tone), 👨‍👩‍👧‍👦 (a family joined by zero-width joiners), 🇨🇳🇺🇸 (flags).\n\n" +
    "```ts\n// micro-USD, rounded half-up\n" +
    "const costMicros = (tokens: bigint, per1M: bigint) => (tokens * per1M + 500_000n) / 1_000_000n;\n```\n",
} as const;

export type ExampleName = keyof typeof EXAMPLES;
