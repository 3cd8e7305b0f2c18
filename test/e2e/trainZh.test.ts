/**
 * The Train screen in Simplified Chinese: what the shared schema says (a field's help, the values
 * it allows, its default) and the baseline comparison of a finished run read in Chinese, not in
 * the English the CLI prints.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelSetPresets } from '@common/labels';
import { setupE2E, type StudioApp } from './harness';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

const e2e = setupE2E();

async function invoke(app: StudioApp, channel: string, payload: unknown): Promise<void> {
  const result = await app.service.invoke(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
}

describe('Train screen in Chinese', () => {
  it('shows the help, the allowed values and the baseline comparison in Chinese', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 900 } });
    const { page } = app;
    await invoke(app, 'project:create', { path: join(app.dir, 'toy.sstudio'), name: 'Toy reviews', labels: [...labelSetPresets.binary] });
    await invoke(app, 'import:run', { path: writeJsonl(join(app.dir, 'toy.jsonl'), toyReviews(300)), columns: { textColumn: 'text', labelColumn: 'label' } });
    await page.reload();
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('navigation', { name: '项目栏目' }).getByRole('button', { name: '训练' }).click();
    await page.getByRole('heading', { level: 1, name: '训练模型' }).waitFor();

    const form = page.getByRole('form', { name: '训练设置' });
    await form.locator('summary', { hasText: '高级' }).click();
    // The help shows while its field has focus, and is the field's accessible description.
    await form.locator('#hp-maxLen').focus();
    const help = form.locator('#hp-maxLen-help');
    await expect.poll(() => help.isVisible()).toBe(true);
    expect(await help.textContent()).toBe('每条评论截断或填充到这么多个词元。许多评论更长时调高（训练会变慢）；推文等短文本可调低。');
    expect(await form.locator('#hp-maxLen').getAttribute('aria-describedby')).toContain('hp-maxLen-help');
    expect(await form.locator('.field', { has: page.locator('#hp-learningRate') }).locator('.range').textContent()).toBe('允许 大于 0 且不超过 1 · 默认 0.001');
    expect(await form.locator('.field', { has: page.locator('#hp-masking') }).locator('.range').textContent()).toBe('允许 开启或关闭 · 默认 开启');
    await form.locator('#hp-trainFraction').focus();
    await expect.poll(() => form.locator('#hp-trainFraction-help').textContent()).toMatch(/^只用这一比例的训练评论进行训练/);
    // An invalid value is flagged inline in Chinese (the CLI says the same in English).
    await form.locator('#hp-maxLen').fill('5');
    await expect.poll(() => form.locator('#hp-maxLen-error').textContent()).toBe('5 低于最小值 8（允许 8–2,000）');
    await form.locator('#hp-maxLen').fill('400');
    await expect.poll(() => form.locator('#hp-maxLen-error').textContent()).toBe('');
    await app.screenshot('train-zh-01-help');

    // One tiny epoch: the baseline trains first, and the result compares the two in Chinese.
    const tiny: Record<string, string> = { maxLen: '24', embedDim: '8', units: '4', batchSize: '32', vocabSize: '200', epochs: '1' };
    for (const [name, value] of Object.entries(tiny)) await form.locator(`#hp-${name}`).fill(value);
    await form.getByRole('button', { name: '开始训练' }).click();
    const monitor = page.getByRole('region', { name: /^运行 \d+$/ });
    await expect.poll(() => monitor.getAttribute('data-status'), { timeout: 120_000 }).toBe('done');
    const results = monitor.getByRole('region', { name: '测试结果' });
    const comparison = /^本模型的(准确率|宏平均 F1)(比基线（运行 #\d+）[高低] \d+\.\d 个百分点|与基线（运行 #\d+）持平)（\d+\.\d% 对 \d+\.\d%）。$/;
    await expect.poll(async () => (await results.locator('.comparison').textContent())?.trim()).toMatch(comparison);
    await app.screenshot('train-zh-02-result');
  }, 240_000);
});
