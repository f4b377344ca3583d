// The fake OpenAI upstream (e2e/fake-openai) for a Vitest file: started before its tests, the app's environment
// pointed at it, closed after.
import { afterAll, beforeAll } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "@/e2e/fake-openai/server";

export function fakeUpstreamForSuite(): () => FakeOpenAI {
  let fake: FakeOpenAI | undefined;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ port: 0 });
    process.env.OPENAI_API_KEY = "sk-test";
    process.env.OPENAI_BASE_URL = fake.url;
    process.env.AUTH_SECRET ??= "a test secret of at least thirty-two characters";
  });
  afterAll(async () => {
    await fake?.close();
  });
  return () => {
    if (!fake) throw new Error("the fake upstream starts before the tests");
    return fake;
  };
}
