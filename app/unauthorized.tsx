import type { Metadata } from "next";

export const metadata: Metadata = { title: "Sign in required" };

export default function Unauthorized() {
  return (
    <section className="card" aria-labelledby="unauth-title">
      <h1 id="unauth-title">Sign in required</h1>
      <p>Connect your wallet with the button at the top right and sign the message to continue.</p>
    </section>
  );
}
