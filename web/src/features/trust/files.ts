// Files in and out of the browser for the trust pages: read an upload as base64 for the JSON
// API, and offer bytes from the API as a download.

/** The API's document limit (src/modules/trust/schema.ts MAX_DOCUMENT_BYTES). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // Chunked: String.fromCharCode(...all) overflows the call stack on large files.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** An object URL for base64 bytes; the caller revokes it when the link goes away. */
export function base64ToObjectUrl(base64: string, mediaType: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: mediaType }));
}
