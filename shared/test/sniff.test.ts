import { describe, expect, it } from 'vitest';
import { sniffFileType } from '../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** A zip of stored (uncompressed) entries, written the way office suites write them. */
function zip(entries: [string, string][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, body] of entries) {
    const n = enc(name);
    const data = enc(body);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, n.length, true);
    parts.push(new Uint8Array(local.buffer), n, data);
    const c = new DataView(new ArrayBuffer(46));
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(28, n.length, true);
    c.setUint32(42, offset, true);
    central.push(new Uint8Array(c.buffer), n);
    offset += 30 + n.length + data.length;
  }
  const size = central.reduce((s, p) => s + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) (out.set(p, at), (at += p.length));
  return out;
}

describe('file types read from the bytes', () => {
  it('accepts PDF, the images, Word, Excel, PowerPoint, OpenDocument and plain text', () => {
    expect(sniffFileType(enc('%PDF-1.7\n…'))?.ext).toBe('pdf');
    expect(sniffFileType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.type).toBe('image/png');
    expect(sniffFileType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))?.ext).toBe('jpg');
    expect(sniffFileType(enc('RIFF\0\0\0\0WEBPVP8 '))?.ext).toBe('webp');
    expect(sniffFileType(enc('GIF89a..'))?.ext).toBe('gif');
    expect(sniffFileType(zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w/>']]))?.ext).toBe('docx');
    expect(sniffFileType(zip([['[Content_Types].xml', '<Types/>'], ['xl/workbook.xml', '<x/>']]))?.ext).toBe('xlsx');
    expect(sniffFileType(zip([['[Content_Types].xml', '<Types/>'], ['ppt/presentation.xml', '<p/>']]))?.ext).toBe('pptx');
    expect(sniffFileType(zip([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<c/>']]))?.ext).toBe('odt');
    expect(sniffFileType(enc('Программа курса\n\tМодуль 1 — кейс-метод\r\n'))?.type).toBe('text/plain; charset=utf-8');
  });

  it('refuses executables, scripts, markup, macro documents, other archives and empty files', () => {
    const refused = [
      enc('MZ\x90\0\x03'),
      new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1]),
      enc('#!/bin/sh\nrm -rf /\n'),
      enc('<!DOCTYPE html><script>alert(1)</script>'),
      enc('  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      enc('<?xml version="1.0"?><svg/>'),
      zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w/>'], ['word/vbaProject.bin', 'x']]),
      zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w/>'], ['payload.exe', 'MZ']]),
      zip([['notes.txt', 'hello']]),
      zip([['mimetype', 'application/x-something'], ['content.xml', '']]),
      new Uint8Array([0xc3, 0x28, 0x41]),
      enc('text with a \u0001 control'),
      new Uint8Array(0),
    ];
    expect(refused.map((b) => sniffFileType(b))).toEqual(refused.map(() => null));
  });
});
