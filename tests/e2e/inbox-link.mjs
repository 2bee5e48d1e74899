// Links that name the team's inbox, made in the test from a link the app
// published: the app's link format (src/link/: base64url of the body's
// LEB128 length, the body and a CRC-32 of the two; the body raw deflate
// continuing the frozen preset dictionary) read and written with Node's
// zlib, which takes a preset dictionary for raw deflate. The test adds the
// "d" member a manager's device will write once the inbox is set up, with
// a team key of its own.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { generateKeyPairSync } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const dictionary = readFileSync(join(here, '..', '..', 'src', 'link', 'dictionary_v1.txt'));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The JSON a link carries. */
export function readLink(url) {
  const data = url.split('#/q/1.')[1];
  const bytes = Buffer.from(data, 'base64url');
  let len = 0;
  let shift = 0;
  let at = 0;
  for (;;) {
    const b = bytes[at++];
    len |= (b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  const body = bytes.subarray(at, at + len);
  if (crc32(bytes.subarray(0, at + len)) !== bytes.readUInt32BE(at + len)) throw new Error('link checksum');
  return JSON.parse(inflateRawSync(body, { dictionary }).toString('utf8'));
}

/** `url` with its JSON replaced by `json`. */
export function writeLink(url, json) {
  const body = deflateRawSync(Buffer.from(JSON.stringify(json), 'utf8'), { dictionary, level: 9 });
  const length = [];
  let n = body.length;
  for (;;) {
    const low = n & 0x7f;
    n >>>= 7;
    if (n === 0) {
      length.push(low);
      break;
    }
    length.push(low | 0x80);
  }
  const framed = Buffer.concat([Buffer.from(length), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(framed));
  return `${url.split('#')[0]}#/q/1.${Buffer.concat([framed, crc]).toString('base64url')}`;
}

/** A team key as a link names it: base64url of the raw X25519 public key. */
export function teamKey() {
  const { publicKey } = generateKeyPairSync('x25519');
  return publicKey.export({ format: 'jwk' }).x;
}

/** `url` naming the inbox on the server at `server`. */
export function withInbox(url, server, key = teamKey()) {
  return writeLink(url, { ...readLink(url), d: { u: server, k: key } });
}
