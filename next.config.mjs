/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite resolves its wasm/data files from its own package folder; helia pulls native WebRTC
  // addons (libp2p): neither can be bundled, both load from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "helia", "blockstore-fs", "datastore-fs", "pdfjs-dist", "xz-decompress"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Type checking is its own step (`npm run typecheck`, run by CI over the whole repo, tests and
  // benchmarks included); repeating it inside every `npm start` build only slows starts.
  typescript: { ignoreBuildErrors: true },
  // forbidden()/unauthorized() render app/forbidden.tsx and app/unauthorized.tsx with 403/401 statuses.
  experimental: { authInterrupts: true },
};

export default nextConfig;
