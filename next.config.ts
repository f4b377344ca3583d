import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and driver packages stay outside the server bundle and are loaded by Node at run time.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
};

export default nextConfig;
