"use client";

import { useCallback, useState, type FormEvent } from "react";

import { descriptionErrors } from "./checks";
import { FileDropzone } from "./file-dropzone";
import { buildMetadata, EMPTY_METADATA, type MetadataDraft } from "./metadata";
import { QueueRow } from "./queue-row";
import type { UnfinishedUpload } from "./queue-state";
import { SharedFields } from "./shared-fields";
import { terminateUpload } from "./tus-client";
import { UnfinishedList } from "./unfinished-list";
import { useUploadQueue } from "./use-upload-queue";

type SharedErrors = { description?: string[]; metadata?: string[] };
// One object while there are no errors, so the memoized shared fields skip progress re-renders.
const NO_ERRORS: SharedErrors = {};

/**
 * The upload page: files queue as rows (own title, type, progress, pause, cancel), sent with tus so
 * that a dropped connection or a refresh loses nothing; description and metadata apply to the files
 * sent together. Every check the browser can make runs before the first byte.
 */
export function UploadForm({ maxBytes, unfinished: initialUnfinished }: { maxBytes: number; unfinished: UnfinishedUpload[] }) {
  const [unfinished, setUnfinished] = useState(initialUnfinished);
  const [description, setDescription] = useState("");
  const [metadata, setMetadata] = useState<MetadataDraft>(EMPTY_METADATA);
  const [sharedErrors, setSharedErrors] = useState<SharedErrors>(NO_ERRORS);
  const [noFile, setNoFile] = useState<string[] | undefined>();
  // A listed upload that continues in the queue leaves the list.
  const onResumed = useCallback((id: string) => setUnfinished((items) => items.filter((u) => u.id !== id)), []);
  const { rows, actions } = useUploadQueue(maxBytes, unfinished, onResumed);

  const choose = useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      setNoFile(undefined);
      void actions.add(files);
    },
    [actions],
  );
  const cancelUnfinished = useCallback(async (item: UnfinishedUpload) => {
    if (await terminateUpload(item.url).catch(() => false)) setUnfinished((items) => items.filter((u) => u.id !== item.id));
  }, []);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!rows.some((r) => r.phase === "ready")) {
      setNoFile(["Choose a file to upload"]);
      return;
    }
    const built = buildMetadata(metadata);
    const errors: SharedErrors = { description: descriptionErrors(description), metadata: built.errors };
    const valid = !errors.description && !errors.metadata;
    setSharedErrors(valid ? NO_ERRORS : errors);
    if (!actions.submit({ description, metadata: built.json }, valid)) {
      // Brings the first error into view: with a long queue it may be off screen.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('form [aria-invalid="true"], form .field-error')?.scrollIntoView({ block: "center" }));
    }
  };

  return (
    <>
      <UnfinishedList items={unfinished} onCancel={cancelUnfinished} />
      <form className="form upload-form" onSubmit={onSubmit} noValidate data-testid="upload-form">
        <FileDropzone maxBytes={maxBytes} errors={noFile} onChoose={choose} />
        {rows.length ? (
          <ol className="queue" aria-label="Upload queue">
            {rows.map((row) => (
              <QueueRow key={row.key} row={row} actions={actions} />
            ))}
          </ol>
        ) : null}
        <SharedFields description={description} metadata={metadata} errors={sharedErrors} disabled={false} onDescription={setDescription} onMetadata={setMetadata} />
        <div className="toolbar">
          <button type="submit" className="button button-primary">
            Upload
          </button>
        </div>
      </form>
    </>
  );
}
