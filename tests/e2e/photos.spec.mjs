// Photo evidence (issue 5): a picture taken or picked on the phone is
// resized on the device to at most 1600 px, stored as a Blob with the
// response, shown as a thumbnail with its size that opens full size,
// survives a reload, and is deleted only after a confirmation. A file that is not a picture is
// refused with a message.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, storedRecords } from './helpers.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const SIGN = 'The store sign is easy to see from the street, clean and intact (lit after dark)';

test('a photo is resized, stored with the answer, kept after reload and deleted after confirming', async ({ page }) => {
  await page.goto('./#/fill');
  await page.getByRole('combobox', { name: 'Choose a checklist' }).selectOption({ label: 'Mystery shopper: retail store' });
  await page.getByRole('button', { name: 'Start audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mystery shopper: retail store' })).toBeVisible();

  await page.getByLabel(`Add photo · ${SIGN}`).setInputFiles(join(fixtures, 'shop-front-2400x1800.jpg'));
  const thumbs = page.getByRole('list', { name: `Photos · ${SIGN}` });
  await expect(thumbs.getByRole('listitem')).toHaveCount(1);
  await expect(thumbs).toContainText('1600×1200');
  await expect(thumbs).toContainText(/\d+ KB/);
  // The thumbnail opens the photo full size; Escape, Close or a tap beside
  // the picture closes it.
  const open = thumbs.getByRole('button', { name: `Open the photo full size: Photos · ${SIGN}` });
  await expect(open).toBeVisible();
  const view = page.getByRole('dialog', { name: `Photos · ${SIGN}` });
  await expect(view).toBeHidden();
  await open.click();
  await expect(view).toBeVisible();
  const full = view.getByRole('img', { name: `Photos · ${SIGN}` });
  await expect(full).toBeVisible();
  expect(await full.evaluate((i) => i.naturalWidth)).toBe(1600);
  expect(await full.evaluate((i) => i.getBoundingClientRect().width)).toBeGreaterThan(300);
  await page.keyboard.press('Escape');
  await expect(view).toBeHidden();
  await expect(open).toBeFocused();
  await open.click();
  await view.getByRole('button', { name: 'Close' }).click();
  await expect(view).toBeHidden();
  await open.click();
  await expect(view).toBeVisible();
  await page.mouse.click(3, 3);
  await expect(view).toBeHidden();

  const [photo] = await storedRecords(page, 'photos');
  expect(photo).toMatchObject({ question_id: 'q-sign-visible', mime: 'image/jpeg', width: 1600, height: 1200 });
  expect(photo.bytes).toBeGreaterThan(1000);
  const stored = await page.evaluate(
    () =>
      new Promise((ok) => {
        indexedDB.open('servicelens').onsuccess = (e) => {
          const db = e.target.result;
          db.transaction('photos').objectStore('photos').getAll().onsuccess = (r) => {
            const b = r.target.result[0].blob;
            ok({ isBlob: b instanceof Blob, type: b.type, size: b.size });
            db.close();
          };
        };
      }),
  );
  expect(stored).toEqual({ isBlob: true, type: 'image/jpeg', size: photo.bytes });

  // Not a picture: refused, nothing stored.
  await page.getByLabel(`Add photo · ${SIGN}`).setInputFiles(join(fixtures, 'not-a-picture.jpg'));
  await expect(page.getByRole('alert')).toContainText('This file does not look like a picture: not-a-picture.jpg');
  expect(await storedRecords(page, 'photos')).toHaveLength(1);

  await page.reload();
  await expect(thumbs.getByRole('listitem')).toHaveCount(1);

  // Declining the confirmation keeps the photo; accepting deletes it.
  page.once('dialog', (d) => d.dismiss());
  await thumbs.getByRole('button', { name: 'Delete photo' }).click();
  await expect(thumbs.getByRole('listitem')).toHaveCount(1);
  page.once('dialog', (d) => d.accept());
  await thumbs.getByRole('button', { name: 'Delete photo' }).click();
  await expect(thumbs.getByRole('listitem')).toHaveCount(0);
  expect(await storedRecords(page, 'photos')).toHaveLength(0);
});
