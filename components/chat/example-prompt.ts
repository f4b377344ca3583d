/** The attribute an empty chat's example prompt button has (empty-chat.tsx): a click puts its text in the composer. */
export const EXAMPLE_PROMPT_ATTRIBUTE = "data-example-prompt";
