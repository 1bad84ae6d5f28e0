import Link from "next/link";

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container">
        NWU Protocol — verified contributions, stored on IPFS, rewarded on chain. <Link href="/status">System status</Link>
      </div>
    </footer>
  );
}
