import type { Metadata } from "next";

import type { UnfinishedUpload } from "@/components/upload/queue-state";
import { UploadForm } from "@/components/upload/upload-form";
import { FILE_TYPES, type FileType } from "@/db/vocabulary";
import { pageUser } from "@/lib/auth/page-guards";
import { getEnv } from "@/lib/config/env";
import { listUnfinishedUploads } from "@/lib/uploads/queries";

export const metadata: Metadata = { title: "Upload", description: "Upload code, a dataset or a document to NWU Protocol: stored on IPFS, then verified by AI and people." };

/** This user's unfinished uploads for the client (ISO times); a user holds at most MAX_ACTIVE_UPLOADS, one page is all. */
async function unfinishedUploads(userId: string): Promise<UnfinishedUpload[]> {
  const { items } = await listUnfinishedUploads(userId);
  return items.map((u) => ({
    ...u,
    fileType: (FILE_TYPES as readonly string[]).includes(u.fileType) ? (u.fileType as FileType) : "dataset",
    createdAt: u.createdAt.toISOString(),
    expiresAt: u.expiresAt.toISOString(),
  }));
}

export default async function UploadPage() {
  const user = await pageUser();
  const unfinished = await unfinishedUploads(user.userId);
  return (
    <>
      <h1>Upload contributions</h1>
      <p>Code, datasets or documents: one file or several. They are stored on IPFS and checked by the AI agent within seconds. A dropped connection or a refresh loses nothing: uploads resume.</p>
      <UploadForm maxBytes={getEnv().MAX_UPLOAD_BYTES} unfinished={unfinished} />
    </>
  );
}
