// Stands in for the "server-only" package under vitest, which is not React's server build.
export {};
