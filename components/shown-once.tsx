import { CopyButton } from "@/components/contributions/copy-button";

/**
 * A credential shown this once (an API key, a signing secret): we keep only its hash, so the page that
 * made it is the only place it can be copied from. `testId` names the card; its value is `${testId}-value`.
 */
export function ShownOnce({ value, what, testId }: { value: string; what: string; testId: string }) {
  return (
    <div role="status" className="card" data-testid={testId}>
      <p>Copy the {what} now: it is shown only once.</p>
      <p className="mono break-all" data-testid={`${testId}-value`}>
        {value}
      </p>
      <CopyButton value={value} label={`Copy ${what.split(" ").pop()}`} />
    </div>
  );
}
