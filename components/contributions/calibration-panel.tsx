import type { CalibrationView } from "@/lib/verification/calibration";

import { CalibrationForm } from "./calibration-form";

/** Admins only (the page renders it for them alone): the calibration answer, or the form to mark an open contribution. */
export function CalibrationPanel({ contributionId, view }: { contributionId: string; view: CalibrationView }) {
  return (
    <section className="card" aria-labelledby="calibration-title" data-testid="calibration">
      <h2 id="calibration-title">Calibration</h2>
      {view.answer ? (
        <p data-testid="calibration-answer">
          Calibration item: known verdict <strong>{view.answer.knownVerdict}</strong>, score {view.answer.scoreMin}–{view.answer.scoreMax}; {view.votes} of {view.votesWanted} votes
          in. Its votes are shown to admins only.
        </p>
      ) : (
        <CalibrationForm contributionId={contributionId} />
      )}
    </section>
  );
}
