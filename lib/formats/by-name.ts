/**
 * The media type a file name alone makes near certain, for the extensions the sniffer
 * (lib/formats/sniff.ts) would recognise from their bytes anyway: a .pdf offered as code is refused
 * when the upload is created, before a byte is sent. The bytes still decide on completion; an
 * unknown or ambiguous extension (.json, .txt, .docx — a zip underneath) says nothing here.
 */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  exe: "application/x-msdownload",
  dll: "application/x-msdownload",
  html: "text/html",
  htm: "text/html",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  flac: "audio/flac",
  mp4: "video/mp4",
  avi: "video/x-msvideo",
  parquet: "application/vnd.apache.parquet",
  npy: "application/x-npy",
  npz: "application/x-npz",
  h5: "application/x-hdf5",
  hdf5: "application/x-hdf5",
  sqlite: "application/vnd.sqlite3",
  "7z": "application/x-7z-compressed",
  xz: "application/x-xz",
  bz2: "application/x-bzip2",
};

const EXTENSION = /\.([a-z0-9]{1,8})$/i;

export function mediaTypeFromName(fileName: string): string | undefined {
  const ext = EXTENSION.exec(fileName)?.[1];
  return ext ? BY_EXTENSION[ext.toLowerCase()] : undefined;
}
