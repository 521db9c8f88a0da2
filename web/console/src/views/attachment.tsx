import { useEffect, useState } from 'preact/hooks';
import { ConsoleApi } from '../api';
import { fileSize } from '../format';
import { FileIcon } from './icons';
import type { Attachment } from '../../../shared/types';

/** Opens or saves a file through an object URL (the download needs the agent's token header). */
async function openFile(api: ConsoleApi, file: Attachment) {
  const url = await api.attachmentUrl(file.url);
  const link = document.createElement('a');
  link.href = url;
  if (file.type.startsWith('image/') || file.type === 'application/pdf') link.target = '_blank';
  else link.download = file.name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function AttachmentView({ api, file }: { api: ConsoleApi; file: Attachment }) {
  const [preview, setPreview] = useState<string>();
  useEffect(() => {
    if (!file.previewUrl) return;
    let url: string | undefined;
    let cancelled = false;
    api
      .attachmentUrl(file.previewUrl)
      .then((objectUrl) => (cancelled ? URL.revokeObjectURL(objectUrl) : setPreview((url = objectUrl))))
      .catch(() => undefined);
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.previewUrl]);

  return (
    <button type="button" class="attachment" onClick={() => openFile(api, file).catch(() => undefined)} data-testid="attachment" title={`Open ${file.name}`}>
      {preview ? <img src={preview} alt={file.name} /> : <span class="file-icon"><FileIcon /></span>}
      <span class="file-name">{file.name}</span>
      <span class="file-size">{fileSize(file.size)}</span>
    </button>
  );
}
