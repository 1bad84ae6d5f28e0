"use client";

import { useRouter } from "next/navigation";
import { useCallback, useRef, useState } from "react";

import { formatBytes } from "@/lib/format";

export type FieldErrors = Record<string, string[]>;
export type UploadState =
  | { phase: "idle" }
  | { phase: "uploading"; loaded: number; total: number }
  | { phase: "error"; message: string; fieldErrors: FieldErrors };

type UploadAnswer = { id?: string; detail?: string; fieldErrors?: FieldErrors; existingId?: string } | null;

/**
 * POSTs the form with XMLHttpRequest, not fetch: only it reports upload progress. `onDone` gets
 * the status and JSON body once the server answered; `onFailed` a message when there was no answer.
 */
function sendUpload(data: FormData, on: { progress: (loaded: number, total?: number) => void; done: (status: number, body: UploadAnswer) => void; failed: (message: string) => void }) {
  const request = new XMLHttpRequest();
  request.open("POST", "/api/v1/contributions");
  request.responseType = "json";
  request.upload.onprogress = (p) => on.progress(p.loaded, p.lengthComputable ? p.total : undefined);
  request.onload = () => on.done(request.status, request.response as UploadAnswer);
  request.onerror = () => on.failed("The connection failed during the upload. Try again.");
  request.onabort = () => on.failed("Upload cancelled.");
  request.send(data);
  return request;
}

/** The chosen file and the upload's phase; `upload` sends a form's fields with that file, `cancel` aborts it. */
export function useUpload(maxBytes: number) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const xhr = useRef<XMLHttpRequest | null>(null);

  const choose = useCallback(
    (f: File | undefined) => {
      if (!f) return;
      if (f.size > maxBytes) {
        setState({ phase: "error", message: `This file is ${formatBytes(f.size)}; the limit is ${formatBytes(maxBytes)}.`, fieldErrors: { file: ["Too large"] } });
        return;
      }
      setFile(f);
      setState({ phase: "idle" });
    },
    [maxBytes],
  );

  const upload = useCallback(
    (data: FormData) => {
      data.delete("file");
      if (!file) {
        setState({ phase: "error", message: "Choose a file to upload.", fieldErrors: { file: ["A file is required"] } });
        return;
      }
      data.append("file", file, file.name);
      setState({ phase: "uploading", loaded: 0, total: file.size });
      xhr.current = sendUpload(data, {
        progress: (loaded, total) => setState({ phase: "uploading", loaded, total: total ?? file.size }),
        done: (status, body) => {
          xhr.current = null;
          if (status === 201 && body?.id) {
            router.push(`/contributions/${body.id}`);
            return;
          }
          const existing = body?.existingId ? ` (see /contributions/${body.existingId})` : "";
          setState({ phase: "error", message: `${body?.detail ?? `Upload failed (${status})`}${existing}`, fieldErrors: body?.fieldErrors ?? {} });
        },
        failed: (message) => {
          xhr.current = null;
          setState({ phase: "error", message, fieldErrors: {} });
        },
      });
    },
    [file, router],
  );

  const cancel = useCallback(() => xhr.current?.abort(), []);

  return { file, state, choose, upload, cancel };
}
