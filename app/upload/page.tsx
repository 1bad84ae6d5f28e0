import type { Metadata } from "next";

import { UploadForm } from "@/components/upload/upload-form";
import { pageUser } from "@/lib/auth/page-guards";
import { getEnv } from "@/lib/config/env";

export const metadata: Metadata = { title: "Upload", description: "Upload code, a dataset or a document to NWU Protocol: stored on IPFS, then verified by AI and people." };

export default async function UploadPage() {
  await pageUser();
  return (
    <>
      <h1>Upload a contribution</h1>
      <p>Code, a dataset or a document. It is stored on IPFS and checked by the AI agent within seconds.</p>
      <UploadForm maxBytes={getEnv().MAX_UPLOAD_BYTES} />
    </>
  );
}
