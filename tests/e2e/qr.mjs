// Reads QR codes with jsQR, a decoder written independently of the app's
// encoder. The picture is decoded to pixels by the browser (its own PNG and
// SVG decoders, not ours), then handed to jsQR in Node.
import jsQR from 'jsqr';
import { expect } from '@playwright/test';

/** Pixels of an image URL (data: or blob:), drawn on a canvas at `scale`. */
async function pixels(page, src, scale, side) {
  return page.evaluate(
    async ({ src, scale, side }) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const w = Math.round((side ?? img.naturalWidth) * scale);
      const h = Math.round((side ?? img.naturalHeight) * scale);
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d');
      ctx.imageSmoothingEnabled = false;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, w, h);
      ctx.drawImage(img, 0, 0, w, h);
      // As base64: a plain array of a million numbers is slow to hand over.
      const bytes = ctx.getImageData(0, 0, w, h).data;
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { w, h, data: btoa(binary) };
    },
    { src, scale, side },
  );
}

/** Decodes the code in an image URL; `null` if jsQR finds none. */
export async function decodeImageUrl(page, src, scale = 1, side = undefined) {
  const { w, h, data } = await pixels(page, src, scale, side);
  const found = jsQR(new Uint8ClampedArray(Buffer.from(data, 'base64')), w, h);
  return found ? { text: found.data, version: found.version } : null;
}

/** Decodes a PNG file's bytes. */
export async function decodePng(page, bytes) {
  return decodeImageUrl(page, `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`);
}

/** Decodes an SVG image element shown on the page, rasterised at 4 px per
 * viewBox unit (one unit is one module). */
export async function decodeSvgImage(page, locator) {
  const src = await locator.getAttribute('src');
  expect(src.startsWith('data:image/svg+xml,')).toBe(true);
  const side = Number(/viewBox="0 0 (\d+) \1"/.exec(decodeURIComponent(src))[1]);
  return decodeImageUrl(page, src, 4, side);
}

/** The downloaded file of `click`, as bytes, with its suggested name. */
export async function download(page, click) {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const { readFile } = await import('node:fs/promises');
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}
