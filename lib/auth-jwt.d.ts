// The session version a session was issued under (lib/auth.ts), carried in Auth.js's JWT.
declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
  }
}

export {};
