/**
 * The report's PDF in the app: the self-contained HTML loaded into a hidden window (no scripts,
 * no network: the report needs neither) and printed with Chromium's own PDF writer, the same one
 * the tests drive through page.pdf.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserWindow } from 'electron';

export async function printHtmlToPdf(html: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'sstudio-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  // A session of its own: the network block below must not reach the app's windows.
  const window = new BrowserWindow({ show: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'report-pdf' } });
  // Nothing in the report loads anything: refuse any request other than the file itself.
  window.webContents.session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*'] }, (_details, callback) => callback({ cancel: true }));
  try {
    await window.loadFile(file);
    // Margins come from the report's own @page rule.
    return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    window.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
