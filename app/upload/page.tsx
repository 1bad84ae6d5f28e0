import type { Metadata } from "next";

import type { UnfinishedUpload } from "@/components/upload/queue-state";
import { UploadForm } from "@/components/upload/upload-form";
import { pageUser } from "@/lib/auth/page-guards";
import { getEnv } from "@/lib/config/env";

export const metadata: Metadata = { title: "Upload", description: "Upload code, a dataset or a document to NWU Protocol: stored on IPFS, then verified by AI and people." };

// TODO(upload-list): listUnfinishedUploads(userId) from @/lib/uploads/queries is not on main yet;
// until it lands the page lists nothing and the list appears only for uploads of this visit.
async function unfinishedUploads(_userId: string): Promise<UnfinishedUpload[]> {
  return [];
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
