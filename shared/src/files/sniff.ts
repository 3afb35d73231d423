/**
 * What an uploaded file is, read from its bytes (never from the name or the browser's
 * word): the document and image types a teacher's portfolio and a project's reports need.
 * Everything else — executables, scripts, HTML, SVG, macro-enabled Office files,
 * archives — is refused, so a file served back can do nothing but be opened as itself.
 */
export interface SniffedType {
  type: string;
  /** The extension the file is served with. */
  ext: string;
}

const starts = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const IMAGES: { sig: number[]; at?: number; also?: { sig: number[]; at: number }; type: SniffedType }[] = [
  { sig: ascii('%PDF-'), type: { type: 'application/pdf', ext: 'pdf' } },
  { sig: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], type: { type: 'image/png', ext: 'png' } },
  { sig: [0xff, 0xd8, 0xff], type: { type: 'image/jpeg', ext: 'jpg' } },
  { sig: ascii('GIF87a'), type: { type: 'image/gif', ext: 'gif' } },
  { sig: ascii('GIF89a'), type: { type: 'image/gif', ext: 'gif' } },
  { sig: ascii('RIFF'), also: { sig: ascii('WEBP'), at: 8 }, type: { type: 'image/webp', ext: 'webp' } },
];

const OOXML: Record<string, SniffedType> = {
  'word/': { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  'xl/': { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  'ppt/': { type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx' },
};

const ODF: Record<string, string> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};

/** The file's type, or null when it is none we accept. */
export function sniffFileType(bytes: Uint8Array): SniffedType | null {
  for (const s of IMAGES) if (starts(bytes, s.sig, s.at) && (!s.also || starts(bytes, s.also.sig, s.also.at))) return s.type;
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeType(bytes);
  return isPlainText(bytes) ? { type: 'text/plain; charset=utf-8', ext: 'txt' } : null;
}

/** An OpenDocument names its type in a first, uncompressed `mimetype` entry; Office Open XML by its folders. */
function officeType(bytes: Uint8Array): SniffedType | null {
  const names = zipEntryNames(bytes);
  if (!names) return null;
  if (names.some((n) => /vbaProject\.bin$|\.(exe|dll|js|vbs|bat|cmd|ps1|sh)$/i.test(n))) return null;
  if (names[0] === 'mimetype') {
    const mime = new TextDecoder().decode(bytes.subarray(38, 38 + 80)).match(/^application\/vnd\.oasis\.opendocument\.[a-z]+/)?.[0];
    const ext = mime ? ODF[mime] : undefined;
    return mime && ext ? { type: mime, ext } : null;
  }
  if (!names.includes('[Content_Types].xml')) return null;
  for (const [folder, t] of Object.entries(OOXML)) if (names.some((n) => n.startsWith(folder))) return t;
  return null;
}

/** The names in a zip's central directory, in order; null when it is not a well-formed zip. */
function zipEntryNames(b: Uint8Array): string[] | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes (its comment is at most 65,535).
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > b.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    if (at + 46 + nameLen > b.length) return null;
    names.push(decoder.decode(b.subarray(at + 46, at + 46 + nameLen)));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** UTF-8 without control characters (tabs and line ends aside), and not markup a browser would run. */
function isPlainText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return false;
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return false;
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('#!')) return false;
  return !/<(?:!doctype|html|script|svg|\?xml|iframe|object|embed)\b/.test(head);
}
