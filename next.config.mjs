/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite resolves its wasm/data files from its own package folder; bundling it breaks that path.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // The data folder holds PGlite and IPFS files that change while `next dev` runs.
  watchOptions: { pollIntervalMs: undefined },
};

export default nextConfig;
