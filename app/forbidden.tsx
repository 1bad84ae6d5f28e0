import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Forbidden" };

export default function Forbidden() {
  return (
    <section className="card" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">You do not have access to this page</h1>
      <p>
        Your account does not have the role this page needs. <Link href="/">Back home</Link>
      </p>
    </section>
  );
}
