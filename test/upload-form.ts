/** A multipart upload body as a browser sends it (title, type, file), for tests that expect a refusal. */
export function uploadForm(file: Buffer, name: string, fields: { title?: string; file_type?: string } = {}): FormData {
  const fd = new FormData();
  fd.append("title", fields.title ?? "Refused");
  fd.append("file_type", fields.file_type ?? "document");
  fd.append("file", new Blob([file as BlobPart]), name);
  return fd;
}
