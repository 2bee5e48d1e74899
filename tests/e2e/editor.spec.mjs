// The questionnaire editor (issue 3): build a questionnaire with a
// conditional question, publish it, fill it: the question appears exactly
// when the condition holds. Plus reorder, duplicate, delete with undo,
// validation before publishing, autosave and the questionnaire file.
import { readFile } from 'node:fs/promises';
import { test, expect, question, storedResponses, storedRecords, openMenu, openNewAudit, saveScreen } from './helpers.mjs';

async function newBlank(page) {
  await page.goto('./');
  await openMenu(page, 'Questionnaires');
  await page.getByRole('button', { name: 'New blank questionnaire' }).click();
  await expect(page).toHaveURL(/#\/edit\/q-[0-9a-f]+\/1$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Questionnaire editor' })).toBeVisible();
}

/** The phone preview: beside the editor on a laptop, behind its button on a phone. */
async function showPreview(page) {
  const button = page.getByRole('button', { name: 'Phone preview' });
  if ((await button.isVisible()) && (await button.getAttribute('aria-expanded')) === 'false') await button.click();
  return page.getByRole('complementary', { name: 'Phone preview' });
}

const editorQuestion = (page, n) => page.getByRole('group', { name: new RegExp(`^Question ${n}:`) });
const section = (page, n) => page.getByRole('region', { name: new RegExp(`^Section ${n}:`) });

async function addQuestion(page, n, en, ru) {
  await section(page, 1).getByRole('button', { name: /^Add question/ }).click();
  const q = editorQuestion(page, n);
  await q.getByLabel('Question text (English)').fill(en);
  await q.getByLabel('Question text (Russian)').fill(ru);
  return q;
}

async function buildDoorCheck(page) {
  await newBlank(page);
  await page.getByLabel('Title (English)', { exact: true }).fill('Door check');
  await page.getByLabel('Title (Russian)', { exact: true }).fill('Проверка двери');
  await addQuestion(page, 1, 'Was the door open?', 'Дверь была открыта?');
  const q2 = await addQuestion(page, 2, 'Why was it closed?', 'Почему она была закрыта?');
  await q2.getByLabel('Question type').selectOption({ label: 'Short text' });
  await q2.getByLabel('Show if').selectOption({ label: 'all conditions (and)' });
  await expect(q2.getByLabel('Condition question')).toContainText('1. Was the door open?');
  await q2.getByLabel('Comparison').selectOption({ label: '=' });
  await q2.getByLabel('Value').selectOption({ label: 'No' });
}

test('a question shown only when an earlier answer is "no" appears exactly then', async ({ page }) => {
  await buildDoorCheck(page);

  // The phone preview applies the condition live.
  const preview = await showPreview(page);
  const reasonInPreview = preview.getByRole('textbox', { name: 'Why was it closed?', exact: true });
  await expect(reasonInPreview).toHaveCount(0);
  await question(preview, 'Was the door open?').getByRole('radio', { name: 'No' }).check();
  await expect(reasonInPreview).toBeVisible();

  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByText('Published: this version can now be filled.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish' })).toHaveCount(0);

  await openNewAudit(page);
  await page.getByRole('combobox', { name: 'Choose a checklist' }).selectOption({ label: 'Door check' });
  await page.getByRole('button', { name: 'Start audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Door check' })).toBeVisible();

  const reason = page.getByRole('textbox', { name: 'Why was it closed?', exact: true });
  const door = question(page, 'Was the door open?');
  await expect(reason).toHaveCount(0);
  await expect(page.getByText('Answered 0 of 1')).toBeVisible();
  await door.getByRole('radio', { name: 'No' }).check();
  await expect(reason).toBeVisible();
  await expect(page.getByText('Answered 1 of 2')).toBeVisible();
  await door.getByRole('radio', { name: 'Yes' }).check();
  await expect(reason).toHaveCount(0);
  await door.getByRole('radio', { name: 'N/A' }).check();
  await expect(reason).toHaveCount(0);
  await door.getByRole('radio', { name: 'No' }).check();
  await reason.fill('Renovation works');
  await expect
    .poll(async () => JSON.stringify((await storedResponses(page))[0]?.answers ?? {}))
    .toContain('Renovation works');
  await page.getByRole('button', { name: 'Submit' }).click();

  await expect(page).toHaveURL(/#\/dashboard$/);
  const row = page.getByRole('table', { name: 'Visits' }).getByRole('row').nth(1);
  await expect(row.getByRole('cell').nth(2)).toHaveText('Door check');
  // One scored item answered "no": the text answer is evidence, not points.
  await expect(row.getByRole('cell').nth(3)).toHaveText('0.00');
  const [stored] = await storedResponses(page);
  expect(Object.values(stored.answers).map((a) => a.value)).toEqual(
    expect.arrayContaining([{ t: 'no' }, { t: 'text', v: 'Renovation works' }]),
  );
});

test('publishing an incomplete questionnaire lists what to fix and publishes nothing', async ({ page }) => {
  await newBlank(page);
  await page.getByRole('button', { name: 'Publish' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Fix before publishing:');
  expect(await alert.getByRole('listitem').count()).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Publish' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Publish' })).toBeVisible();
});

test('reorder, duplicate and delete with undo, all kept after a reload', async ({ page }) => {
  await newBlank(page);
  await addQuestion(page, 1, 'First', 'Первый');
  await addQuestion(page, 2, 'Second', 'Второй');
  await editorQuestion(page, 2).getByRole('button', { name: /^Move up/ }).click();
  await expect(editorQuestion(page, 1)).toHaveAccessibleName('Question 1: Second');
  await expect(editorQuestion(page, 2)).toHaveAccessibleName('Question 2: First');

  await editorQuestion(page, 1).getByRole('button', { name: /^Duplicate/ }).click();
  await expect(editorQuestion(page, 2)).toHaveAccessibleName('Question 2: Second');
  await expect(editorQuestion(page, 3)).toHaveAccessibleName('Question 3: First');

  await editorQuestion(page, 3).getByRole('button', { name: /^Delete/ }).click();
  await expect(editorQuestion(page, 3)).toHaveCount(0);
  await expect(page.getByText('Deleted: «First»')).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(editorQuestion(page, 3)).toHaveAccessibleName('Question 3: First');

  await expect(section(page, 1).getByRole('button', { name: /^Move down: Section 1/ })).toBeDisabled();
  await page.getByRole('button', { name: 'Add section' }).click();
  await expect(section(page, 2)).toBeVisible();

  await page.reload();
  // Two sections now: the editor opens them folded.
  const fold = page.getByRole('button', { name: /^Section 1:/ });
  await expect(fold).toHaveAttribute('aria-expanded', 'false');
  await expect(editorQuestion(page, 1)).toBeHidden();
  await fold.click();
  await expect(editorQuestion(page, 1)).toHaveAccessibleName('Question 1: Second');
  await expect(editorQuestion(page, 3)).toHaveAccessibleName('Question 3: First');
  await expect(section(page, 2)).toBeVisible();
});

test('a questionnaire file downloads and loads on another device', async ({ page, browser, baseURL }) => {
  await buildDoorCheck(page);
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByText('Published: this version can now be filled.')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download questionnaire file' }).click(),
  ]);
  const text = await readFile(await download.path(), 'utf8');
  const file = JSON.parse(text);
  expect(file.format).toBe('servicelens.questionnaire');
  expect(file.questionnaire.title.en).toBe('Door check');

  // Another device: a fresh browser context with empty storage.
  const other = await browser.newContext({ baseURL, locale: 'en-US' });
  const page2 = await other.newPage();
  await page2.goto('./#/questionnaires');
  await page2.getByLabel('Load questionnaire file').setInputFiles({
    name: download.suggestedFilename(),
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(page2.getByText('Questionnaire loaded.')).toBeVisible();
  await expect(page2.getByRole('heading', { level: 3, name: 'Door check' })).toBeVisible();

  // A broken file is refused with a message and stores nothing.
  await page2.getByLabel('Load questionnaire file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text.slice(0, text.length / 2)),
  });
  await expect(page2.getByRole('alert')).toBeVisible();
  await expect(page2.getByRole('heading', { level: 3, name: 'Door check' })).toHaveCount(1);
  await other.close();
});

test('every question property is editable and stored as it is edited', async ({ page }) => {
  await newBlank(page);
  await page.getByLabel('Questionnaire type').selectOption({ label: 'Customer survey' });
  await page.getByLabel('Title (English)', { exact: true }).fill('Quick survey');
  const q1 = await addQuestion(page, 1, 'How likely are you to recommend us?', 'Порекомендуете ли вы нас?');
  await q1.getByLabel('Question type').selectOption({ label: 'NPS 0–10' });
  await q1.getByLabel('Feeds the KPI').selectOption({ label: 'NPS' });
  await q1.getByLabel('Help text (English)').fill('0 = not at all, 10 = certainly');
  await q1.getByLabel('Required').uncheck();

  const q2 = await addQuestion(page, 2, 'Speed of service', 'Скорость обслуживания');
  await q2.getByLabel('Question type').selectOption({ label: 'Scale 1–5' });
  await q2.getByLabel('Feeds the KPI').selectOption({ label: 'CSI attribute' });
  await q2.getByLabel('Importance in the CSI').fill('8');
  await q2.getByLabel('Importance in the CSI').blur();

  const q3 = await addQuestion(page, 3, 'Minutes waited', 'Сколько минут ждали');
  await q3.getByLabel('Question type').selectOption({ label: 'Number' });
  await q3.getByLabel('Unit (English)').fill('minutes');
  await q3.getByLabel('Weight').fill('2.5');
  await q3.getByLabel('Weight').blur();

  const q4 = await addQuestion(page, 4, 'What did you buy?', 'Что купили?');
  await q4.getByLabel('Question type').selectOption({ label: 'Multiple choice' });
  await q4.getByLabel('Option (English)').first().fill('Shoes');
  await q4.getByRole('button', { name: 'Add option' }).click();
  await expect(q4.getByLabel('Option (English)')).toHaveCount(3);
  await q4.getByLabel('Comment allowed').check();

  await expect
    .poll(async () => {
      const [q] = await storedRecords(page, 'questionnaires');
      const qs = q.sections[0].questions;
      return {
        kind: q.kind,
        nps: [qs[0].type, qs[0].metric, qs[0].required ?? false, qs[0].help.en],
        csi: qs[1].metric,
        number: [qs[2].unit?.en, qs[2].weight],
        choice: [qs[3].options.length, qs[3].options[0].label.en, qs[3].comment_allowed],
      };
    })
    .toEqual({
      kind: 'survey',
      nps: ['nps', 'nps', false, '0 = not at all, 10 = certainly'],
      csi: { csi_attribute: { importance: 8 } },
      number: ['minutes', 2.5],
      choice: [3, 'Shoes', true],
    });

  // The preview shows the number with its unit.
  const preview = await showPreview(page);
  await expect(preview.getByRole('spinbutton', { name: 'Minutes waited (minutes)' })).toBeVisible();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByText('Published: this version can now be filled.')).toBeVisible();
});

test('a template opens folded to its sections, with Publish in reach and its result shown where the person is', async ({ page }, testInfo) => {
  await page.goto('./');
  await openMenu(page, 'Questionnaires');
  await page.getByRole('button', { name: 'Use template: Mystery shopper: retail store' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Questionnaire editor' })).toBeVisible();
  const folds = page.getByRole('button', { name: /^Section \d+:/ });
  expect(await folds.count()).toBeGreaterThan(1);
  for (const fold of await folds.all()) await expect(fold).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('group', { name: /^Question 1:/ })).toBeHidden();
  // Folded, the editor is a few screens tall, not tens of thousands of pixels.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(6000);
  await saveScreen(page, testInfo, 'editor-folded');

  await folds.first().click();
  await expect(folds.first()).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('group', { name: /^Question 1:/ })).toBeVisible();
  // Publish stays on screen wherever the person is in the questionnaire.
  const publish = page.getByRole('button', { name: 'Publish' });
  await expect(publish).toBeInViewport();
  await page.getByRole('group', { name: /^Question 1:/ }).scrollIntoViewIfNeeded();
  await expect(publish).toBeInViewport();
  await publish.click();
  const result = page.getByRole('status').filter({ hasText: 'Published: this version can now be filled.' });
  await expect(result).toBeFocused();
  await expect(result).toBeInViewport();
});
