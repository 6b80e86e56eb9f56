// A download link for bytes the API returned as base64; the object URL is freed when it goes.
import { useEffect, useState } from 'react';
import { base64ToObjectUrl } from './files.ts';

export function DownloadLink({ base64, mediaType, fileName, label }: { base64: string; mediaType: string; fileName: string; label: string }) {
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    const created = base64ToObjectUrl(base64, mediaType);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [base64, mediaType]);
  if (!url) return null;
  return (
    <a className="button" href={url} download={fileName}>
      {label}
    </a>
  );
}
