// Corrective actions (issue 7): made from a failed item of a submitted
// audit, listed with the overdue ones apart, marked done, and verified once
// a later audit of the same location shows the item passing.
import { test, expect, question, storedRecords, storedResponses, startQuickAudit, QUICK, openMenu } from './helpers.mjs';

async function submitQuick(page, greeting) {
  await startQuickAudit(page);
  for (const q of Object.values(QUICK)) await question(page, q).getByRole('radio', { name: 'Yes', exact: true }).check();
  await question(page, QUICK.greeting).getByRole('radio', { name: greeting, exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);
}

test('an action from a failed item: open and overdue, done, then verified after the item passes', async ({ page }) => {
  await page.goto('./');
  await submitQuick(page, 'No');
  const [first] = await storedResponses(page);
  await page.goto(`./#/response/${first.id}`);
  const item = page.getByRole('listitem').filter({ hasText: QUICK.greeting });
  await expect(item).toContainText('Failed');

  // A bad form stores nothing and says why.
  await item.getByRole('button', { name: 'Create corrective action' }).click();
  const form = item.getByRole('form', { name: 'Corrective action' });
  await form.getByRole('button', { name: 'Save action' }).click();
  await expect(item.getByRole('alert')).toHaveText('Name an assignee: an employee from the list or anyone.');
  expect(await storedRecords(page, 'actions')).toEqual([]);

  await form.getByLabel('Assignee').fill('Anna Petrova');
  await form.getByLabel('Due date').fill('2020-01-15');
  await form.getByLabel('Note').fill('Greet within 3 minutes; brief the shift');
  await form.getByRole('button', { name: 'Save action' }).click();
  await expect(item.getByRole('status')).toContainText('Corrective action saved.');
  const [stored] = await storedRecords(page, 'actions');
  expect(stored).toMatchObject({
    response_id: first.id,
    question_id: 'q-greeting',
    location_id: first.location_id,
    assignee: 'Anna Petrova',
    due: '2020-01-15',
    status: 'open',
    note: 'Greet within 3 minutes; brief the shift',
  });

  // After a reload the action is shown on its item, and editing it changes
  // that action instead of making a second one.
  await page.reload();
  const onItem = item.getByRole('list', { name: 'Actions on this item' });
  await expect(onItem.getByRole('listitem')).toHaveCount(1);
  await expect(onItem).toContainText('Greet within 3 minutes; brief the shift · Anna Petrova, Due date 15 Jan 2020 · Open');
  await onItem.getByRole('button', { name: /^Edit the action: Greet within 3 minutes/ }).click();
  const editForm = item.getByRole('form', { name: 'Edit the action' });
  await expect(editForm.getByLabel('Assignee')).toHaveValue('Anna Petrova');
  await expect(editForm.getByLabel('Due date')).toHaveValue('2020-01-15');
  await editForm.getByLabel('Assignee').fill('Boris Ivanov');
  await editForm.getByRole('button', { name: 'Save action' }).click();
  await expect(onItem).toContainText('Greet within 3 minutes; brief the shift · Boris Ivanov, Due date 15 Jan 2020 · Open');
  const afterEdit = await storedRecords(page, 'actions');
  expect(afterEdit).toHaveLength(1);
  expect(afterEdit[0]).toMatchObject({ id: stored.id, assignee: 'Boris Ivanov', due: '2020-01-15', status: 'open', created_at: stored.created_at });
  expect(afterEdit[0].updated_at).not.toBe(stored.updated_at);

  // The list, reached from the menu.
  await openMenu(page, 'Actions');
  await expect(page.getByRole('heading', { level: 1, name: 'Corrective actions' })).toBeVisible();
  const overdue = page.getByRole('region', { name: 'Overdue' });
  await expect(overdue.getByRole('listitem')).toHaveCount(1);
  await expect(overdue.getByRole('listitem')).toContainText(QUICK.greeting);
  const all = page.getByRole('region', { name: 'All actions' });
  const action = all.getByRole('listitem').filter({ hasText: QUICK.greeting });
  await expect(action).toContainText('Status: Open');
  await expect(action).toContainText('No later audit of this location has checked the item yet.');

  await action.getByRole('button', { name: 'Mark done' }).click();
  await expect(action).toContainText('Status: Done');
  // Done is no longer overdue: it waits for verification, not the assignee.
  await expect(overdue).toHaveCount(0);
  await expect(action.getByRole('button', { name: 'Mark done' })).toHaveCount(0);
  expect((await storedRecords(page, 'actions'))[0].status).toBe('done');

  // A later audit of the same location: the item passes now.
  await submitQuick(page, 'Yes');
  await page.goto('./#/actions');
  await expect(action).toContainText('The item passes on the next audit of this location.');
  await action.getByRole('button', { name: 'Verify' }).click();
  await expect(action).toContainText('Status: Verified');
  await expect(action.getByRole('button')).toHaveCount(0);
  await page.reload();
  await expect(action).toContainText('Status: Verified');
  expect((await storedRecords(page, 'actions'))[0].status).toBe('verified');
});

test('an action from the submitted audit on its fill page; an overdue action says so in words, not colour only', async ({ page }) => {
  await page.goto('./');
  await submitQuick(page, 'No');
  const [visit] = await storedResponses(page);
  // The submitted audit on its own fill page (the dashboard's latest list opens it).
  await page.goto(`./#/fill/${visit.id}`);
  await expect(page.getByText('This audit is submitted and read-only.')).toBeVisible();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Create corrective action' }) });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(QUICK.greeting);

  await item.getByRole('button', { name: 'Create corrective action' }).click();
  const form = item.getByRole('form', { name: 'Corrective action' });
  await form.getByLabel('Due date').fill('2020-02-01');
  await form.getByRole('button', { name: 'Save action' }).click();
  await expect(item.getByRole('alert')).toHaveText('Name an assignee: an employee from the list or anyone.');
  expect(await storedRecords(page, 'actions')).toEqual([]);
  await form.getByLabel('Assignee').fill('Boris Orlov');
  await form.getByRole('button', { name: 'Save action' }).click();
  await expect(item.getByRole('status')).toContainText('Corrective action saved.');
  const [stored] = await storedRecords(page, 'actions');
  expect(stored).toMatchObject({
    response_id: visit.id,
    question_id: 'q-greeting',
    location_id: visit.location_id,
    assignee: 'Boris Orlov',
    due: '2020-02-01',
    status: 'open',
  });
  // The audit itself is untouched.
  expect((await storedResponses(page))[0]).toEqual(visit);

  await item.getByRole('link', { name: 'Corrective actions' }).click();
  const action = page.getByRole('region', { name: 'All actions' }).getByRole('listitem').filter({ hasText: QUICK.greeting });
  const mark = action.getByText('Overdue: past its due date and not done');
  await expect(mark).toBeVisible();
  const edge = () => action.evaluate((el) => parseFloat(getComputedStyle(el).borderLeftWidth));
  expect(await edge()).toBeGreaterThanOrEqual(6);
  await action.getByRole('button', { name: 'Mark done' }).click();
  await expect(action).toContainText('Status: Done');
  await expect(mark).toHaveCount(0);
  expect(await edge()).toBeLessThan(2);
});
