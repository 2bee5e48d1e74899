// Copies the Lucide icons the app uses (npm lucide-static, ISC) into
// public/icons/ui/, which is committed: the build never reads node_modules
// and nothing at run time comes from elsewhere. Run after changing the list
// (node scripts/vendor-icons.mjs); style/icons.css names each file.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'node_modules/lucide-static/icons');
const to = join(root, 'public/icons/ui');

export const ICONS = [
  'layout-dashboard', 'message-square-text', 'list-checks', 'clipboard-check', 'file-text',
  'qr-code', 'store', 'mail', 'refresh-cw', 'arrow-left-right', 'settings', 'circle-plus',
  'send', 'menu', 'x', 'check', 'triangle-alert', 'info', 'camera', 'download', 'upload',
  'printer', 'share-2', 'copy', 'trash-2', 'pencil', 'plus', 'chevron-down', 'chevron-right',
  'calendar', 'users', 'circle-check', 'wifi-off', 'trending-up', 'trending-down', 'minus',
];

rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const name of ICONS) copyFileSync(join(from, `${name}.svg`), join(to, `${name}.svg`));
copyFileSync(join(root, 'node_modules/lucide-static/LICENSE'), join(to, 'LICENSE'));
console.log(`vendor-icons: ${readdirSync(to).length - 1} icons in public/icons/ui`);
