import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Read a downloaded file back the way a person would see it, with the tools a desktop has (unzip, poppler). */

function withFile<T>(name: string, bytes: Buffer, read: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kenes-doc-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return read(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** A Word file's paragraphs, runs joined and tabs as tabs, from its word/document.xml. */
export function docxParagraphs(bytes: Buffer): string[] {
  const xml = withFile('file.docx', bytes, (path) => execFileSync('unzip', ['-p', path, 'word/document.xml'], { encoding: 'utf8' }));
  return xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)].map((m) => (m[1] === undefined ? '\t' : decode(m[1]))).join(''));
}

/** A PDF's text as pdftotext reads it, every run of white space made one space. */
export function pdfText(bytes: Buffer): string {
  return withFile('file.pdf', bytes, (path) => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })).replace(/\s+/g, ' ');
}

/** The fonts a PDF names, one pdffonts line each (name, type, encoding, emb, sub, uni, object). */
export function pdfFonts(bytes: Buffer): string[] {
  return withFile('file.pdf', bytes, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' })).trim().split('\n').slice(2);
}
