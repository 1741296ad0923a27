// Maps and topics end to end, as a researcher would do it in the browser: import a small labelled
// corpus with four planted topics, embed it with the default model, cluster it with k-means, make a
// PCA map of the same embedding run, open the clustering and read its topic list, then select a
// region of the map with the box and see the linked table of the selected documents and their words
// (one opens its KWIC, as a cluster's label word on the map does), colour the map by the gold label,
// highlight a search, export the map.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../common/random';
import { addModel, browserMissing, browserSession, canRunBrowser, createProject, defaultModelDir, importCsv, setNumber } from './e2eHarness';

if (!canRunBrowser) console.warn(`end-to-end topics test skipped: ${browserMissing}`);

const planted: Record<string, string[]> = {
  movie: ['映画', '監督', '俳優', '上映', '脚本', '主演', '映画館'],
  baseball: ['野球', '投手', '打者', '試合', '優勝', '球場', '本塁打'],
  cooking: ['料理', '食材', '調理', 'レシピ', '味付け', '台所', '野菜'],
  weather: ['天気', '気温', '台風', '降水', '晴れ', '予報', '梅雨'],
};

/** 4 topics × 30 documents: each text made of its topic's words in plain sentences, seeded. */
function writePlantedCsv(dir: string): string {
  const rand = mulberry32(17);
  const pick = (words: string[]) => words[Math.floor(rand() * words.length)];
  const lines = ['title,label,text'];
  let n = 0;
  for (let round = 0; round < 30; round++) {
    for (const [label, words] of Object.entries(planted)) {
      const sentences = Array.from({ length: 4 }, () => `${pick(words)}と${pick(words)}について${pick(words)}の話をした。`);
      lines.push(`${label}の記事${++n},${label},${sentences.join('')}`);
    }
  }
  const path = join(dir, 'planted.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Waits for the newest job of a kind in the job bar to end, and expects it done. */
async function jobDone(page: Page, kind: string, timeout = 180_000): Promise<void> {
  const job = page.locator(`[data-testid="job-item"][data-kind="${kind}"]`).last();
  await expect.poll(() => job.getAttribute('data-status'), { timeout }).toMatch(/^(done|failed|cancelled)$/);
  expect(await job.getAttribute('data-status'), await job.innerText()).toBe('done');
}

describe.skipIf(!canRunBrowser)('maps and topics in the browser, end to end', () => {
  const session = browserSession('shirabe-e2e-topics-');
  const { dir } = session;

  it('imports a labelled corpus and embeds it with the default model', async () => {
    const { app, page } = session;
    await createProject(page, app.url, join(dir, 'topics.shirabe'));
    await importCsv(page, writePlantedCsv(dir), { label: 'label', name: 'planted' });
    await addModel(page, defaultModelDir);

    await page.getByTestId('nav-corpus').click();
    await page.getByTestId('tab-embeddings').click();
    await page.getByTestId('embed-open').click();
    await expect.poll(() => page.getByTestId('embed-model').inputValue(), { timeout: 10_000 }).toBe('shirabe-tiny-ja');
    await expect.poll(() => page.getByTestId('embed-start').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('embed-start').click();
    await jobDone(page, 'embed');
    await expect.poll(() => page.getByTestId('embed-runs-row').count(), { timeout: 15_000 }).toBe(1);
  }, 240_000);

  it('clusters the embedding run, makes a PCA map, and shows topics, map and a brushed selection', async () => {
    const { page } = session;
    await page.getByTestId('nav-maps').click();
    await page.getByTestId('topics-view').waitFor();
    // The embedding run just made is chosen, with its model, pooling and layer.
    await expect.poll(() => page.getByTestId('topics-embedding').inputValue(), { timeout: 15_000 }).toContain('shirabe-tiny-ja');

    // k-means with k = 4 (the planted topics), words that occur in at least 3 documents.
    await setNumber(page, 'topics-k', 4);
    await setNumber(page, 'topics-restarts', 3);
    await setNumber(page, 'topics-min-df', 3);
    await page.getByTestId('topics-start-cluster').click();
    await page.getByTestId('topics-started').waitFor({ timeout: 15_000 });
    await jobDone(page, 'cluster');

    await page.getByTestId('map-method').getByText('PCA').click();
    await page.getByTestId('topics-start-map').click();
    await jobDone(page, 'map');

    // Both runs listed with their key metrics.
    const clusterRow = page.getByTestId('cluster-runs').getByTestId('runs-row').first();
    await expect.poll(() => clusterRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    expect(await clusterRow.getByTestId('runs-clusters').innerText()).toBe('4');
    expect(Number(await clusterRow.getByTestId('runs-nmi').innerText())).toBeGreaterThanOrEqual(0);
    const mapRow = page.getByTestId('map-runs').getByTestId('runs-row').first();
    await expect.poll(() => mapRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    expect(await mapRow.innerText()).toContain('PCA');

    // The clustering's page: quality, one topic row per cluster with both label lists, the map.
    await clusterRow.getByTestId('runs-open').click();
    await page.locator('[data-testid="run-view"][data-kind="cluster"][data-status="done"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('topics-quality').waitFor();
    await expect.poll(() => page.getByTestId('topic-row').count(), { timeout: 15_000 }).toBe(4);
    const sizes = (await page.getByTestId('topic-size').allInnerTexts()).map((s) => Number(s.replace(/,/g, '')));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(120);
    expect((await page.getByTestId('topic-study').first().innerText()).trim().length).toBeGreaterThan(0);
    expect((await page.getByTestId('topic-ctfidf').first().innerText()).trim().length).toBeGreaterThan(0);
    expect(await page.getByTestId('topic-gold-bar').count()).toBe(4);

    const map = page.locator('[data-testid="topic-map"][data-points="120"]');
    await map.waitFor({ timeout: 30_000 });
    expect(await map.getAttribute('data-clusters')).toBe('4');
    await page.getByTestId('map-selection-empty').waitFor();

    // A cluster's label word on the map: hover passes through it to the document beneath (a cluster's
    // centre is one of its documents), and a click on it, with the box tool on, opens the KWIC of the
    // label's first word, the topic's first study word, and selects nothing.
    const canvas = page.getByTestId('topic-map-canvas');
    await canvas.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const box = (await canvas.boundingBox())!;
    type LabelBox = { cluster: number; word: string | null; x: number; y: number; width: number; height: number };
    const labelBoxes = async () => JSON.parse((await canvas.getAttribute('data-label-boxes')) ?? '[]') as LabelBox[];
    await expect.poll(async () => (await labelBoxes()).length, { timeout: 15_000 }).toBe(4);
    const labels = await labelBoxes();
    const centreOf = (b: LabelBox) => [b.x + b.width / 2, b.y + b.height / 2] as const;
    const inside = (b: LabelBox, [x, y]: readonly [number, number]) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height;
    // A label whose centre no other label covers.
    const label = labels.find((b) => b.word && labels.every((o) => o === b || !inside(o, centreOf(b))))!;
    expect(label, JSON.stringify(labels)).toBeDefined();
    const firstStudyWord = await page.locator(`[data-testid="topic-row"][data-cluster="${label.cluster}"]`).getByTestId('topic-study').getByTestId('topic-word').first().getAttribute('data-word');
    expect(label.word).toBe(firstStudyWord);
    const [lx, ly] = centreOf(label);
    await page.mouse.move(box.x + lx, box.y + ly);
    await expect.poll(() => canvas.innerText(), { timeout: 10_000 }).toMatch(/文書 \d+/);
    await page.mouse.click(box.x + lx, box.y + ly);
    await expect.poll(() => page.getByTestId('kwic-line').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('kwic-line').first().locator('.kwic-key').innerText()).toBe(label.word);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('kwic-line').count(), { timeout: 10_000 }).toBe(0);
    expect(await map.getAttribute('data-selected')).toBe('0');
    // Off every label (a corner of the plot) a click opens nothing.
    const off = ([[45, 20], [box.width - 200, 20], [45, box.height - 35]] as const).find((p) => labels.every((b) => !inside(b, p)))!;
    await page.mouse.click(box.x + off[0], box.y + off[1]);
    await page.waitForTimeout(500);
    expect(await page.getByTestId('kwic-line').count()).toBe(0);

    // A box over most of the plot selects documents; the linked table lists them with their titles.
    await page.mouse.move(box.x + box.width * 0.06, box.y + box.height * 0.05);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5, { steps: 10 });
    await page.mouse.move(box.x + box.width * 0.84, box.y + box.height * 0.93, { steps: 10 });
    await page.mouse.up();
    await expect.poll(async () => Number(await map.getAttribute('data-selected')), { timeout: 10_000 }).toBeGreaterThan(0);
    const selected = Number(await map.getAttribute('data-selected'));
    await expect.poll(() => page.getByTestId('selection-row').count(), { timeout: 10_000 }).toBe(Math.min(100, selected));
    await expect.poll(() => page.getByTestId('selection-row').first().innerText(), { timeout: 10_000 }).toMatch(/の記事\d+/);

    // The selection's words (c-TF-IDF against the rest, in the backend) as chips: planted words; one opens its KWIC.
    const chips = page.getByTestId('selection-word');
    await expect.poll(() => chips.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const allPlanted = new Set(Object.values(planted).flat());
    const chipWords = await chips.evaluateAll((els) => els.map((e) => e.getAttribute('data-word') ?? ''));
    expect(chipWords.some((w) => allPlanted.has(w)), chipWords.join(' ')).toBe(true);
    const word = chipWords.find((w) => allPlanted.has(w))!;
    await page.locator(`[data-testid="selection-word"][data-word="${word}"]`).click();
    await expect.poll(() => page.getByTestId('kwic-line').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('kwic-line').first().locator('.kwic-key').innerText()).toBe(word);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('kwic-line').count(), { timeout: 10_000 }).toBe(0);

    // Coloured by the gold label: the legend names the four labels; the selection stays.
    await page.getByTestId('map-colour').click();
    await page.getByRole('option', { name: '正解ラベル', exact: true }).click();
    await expect.poll(() => map.getAttribute('data-legend'), { timeout: 10_000 }).toMatch(/^(?=.*movie)(?=.*baseball)(?=.*cooking)(?=.*weather)/);
    expect(Number(await map.getAttribute('data-selected'))).toBe(selected);

    // A search rings its matches: every movie document mentions a movie word.
    await page.getByTestId('map-search').fill('映画');
    await page.getByTestId('map-search-run').click();
    await expect.poll(async () => Number(await page.getByTestId('map-search-count').getAttribute('data-count')), { timeout: 10_000 }).toBeGreaterThan(0);
    await map.screenshot({ path: join(dir, 'topic-map.png') });

    // The map as a figure and as data: SVG with the points, CSV with the colour field.
    await page.getByTestId('map-export').click();
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('map-export-svg').click()]);
    expect(svgDownload.suggestedFilename()).toMatch(/^map-\d+-label\.svg$/);
    const svgPath = join(dir, svgDownload.suggestedFilename());
    await svgDownload.saveAs(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('movie');
    await page.getByTestId('map-export').click();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('map-export-csv').click()]);
    const csvPath = join(dir, csvDownload.suggestedFilename());
    await csvDownload.saveAs(csvPath);
    const csvLines = readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(csvLines[0]).toBe('document_id,x,y,cluster,label');
    expect(csvLines.length).toBe(121);
    for (const line of csvLines.slice(1)) expect(line).toMatch(/^\d+,-?[\d.e-]+,-?[\d.e-]+,[0-3],(movie|baseball|cooking|weather)$/);
    expect(await page.getByTestId('error').count()).toBe(0);
    // The job bar names the two new kinds of job.
    expect(await page.locator('[data-testid="job-item"][data-kind="cluster"]').last().innerText()).toContain('クラスタリング');
    await page.getByTestId('topic-list').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(dir, 'topic-list.png') });
    await page.screenshot({ path: join(dir, 'topics.png'), fullPage: true });
    console.log(`topics e2e screenshots: ${join(dir, 'topics.png')}, ${join(dir, 'topic-list.png')}`);
  }, 400_000);
  it('renames and merges topics, keeps the edits through a reload, and undoes them', async () => {
    const { page } = session;
    // On the clustering's page (the test before): name the first topic.
    const rows = page.getByTestId('topic-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
    const first = rows.first();
    const firstCluster = await first.getAttribute('data-cluster');
    await first.getByTestId('topic-rename').click();
    await first.getByTestId('topic-name-input').fill('映画の話題');
    await first.getByTestId('topic-name-save').click();
    await expect.poll(() => page.locator(`[data-testid="topic-row"][data-cluster="${firstCluster}"]`).getAttribute('data-name'), { timeout: 10_000 }).toBe('映画の話題');

    // Tick the first two topics and merge them: a relabelling job, after which three topics are left, the first keeping its name.
    const sizes = (await page.getByTestId('topic-size').allInnerTexts()).map((s) => Number(s.replace(/,/g, '')));
    await rows.nth(0).getByTestId('topic-tick').check();
    await rows.nth(1).getByTestId('topic-tick').check();
    await page.getByTestId('topic-merge').click();
    await jobDone(page, 'topicEdit');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('topic-edits').getAttribute('data-busy'), { timeout: 15_000 }).toBe('false');
    const merged = page.locator(`[data-testid="topic-row"][data-cluster="${firstCluster}"]`);
    expect(await merged.getAttribute('data-name')).toBe('映画の話題');
    expect(Number((await merged.getByTestId('topic-size').innerText()).replace(/,/g, ''))).toBe(sizes[0] + sizes[1]);
    expect(await page.getByTestId('topic-edits').getAttribute('data-edits')).toBe('2');
    // The quality of the edited assignment is shown beside the computed one; the map colours three clusters.
    await page.getByTestId('topics-quality-computed').waitFor();
    await expect.poll(() => page.locator('[data-testid="topic-map"][data-points="120"]').getAttribute('data-clusters'), { timeout: 30_000 }).toBe('3');

    // A reload of the window: the edits are in the project, not in the page.
    await page.reload();
    await page.getByTestId('nav-maps').click();
    await page.getByTestId('cluster-runs').getByTestId('runs-row').first().getByTestId('runs-open').click();
    await page.locator('[data-testid="run-view"][data-kind="cluster"][data-status="done"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    expect(await page.locator(`[data-testid="topic-row"][data-cluster="${firstCluster}"]`).getAttribute('data-name')).toBe('映画の話題');
    expect(await page.getByTestId('topic-last-edit').innerText()).toContain(firstCluster!);

    // Undo takes the merge back (four topics again), redo restores it.
    await page.getByTestId('topic-undo').click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
    await page.getByTestId('topic-redo').click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);

    // A lasso around the left half of the plot, and its documents made a topic of their own: four topics again.
    const map = page.locator('[data-testid="topic-map"][data-points="120"]');
    await expect.poll(() => map.getAttribute('data-clusters'), { timeout: 30_000 }).toBe('3');
    await page.getByTestId('map-tool').getByText('投げ縄').click();
    const canvas = page.getByTestId('topic-map-canvas');
    await canvas.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const box = (await canvas.boundingBox())!;
    const at = (x: number, y: number) => [box.x + box.width * x, box.y + box.height * y] as const;
    await page.mouse.move(...at(0.1, 0.1));
    await page.mouse.down();
    for (const [x, y] of [[0.5, 0.1], [0.5, 0.9], [0.1, 0.9], [0.1, 0.12]] as const) await page.mouse.move(...at(x, y), { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => Number(await map.getAttribute('data-selected')), { timeout: 10_000 }).toBeGreaterThan(0);
    const lassoed = Number(await map.getAttribute('data-selected'));
    expect(lassoed).toBeLessThan(120);
    await page.getByTestId('selection-new-topic').click();
    await expect.poll(() => page.getByTestId('topic-edits').getAttribute('data-edits'), { timeout: 120_000 }).toBe('3');
    expect(await page.getByTestId('topic-last-edit').innerText()).toContain(`${lassoed} 件`);
    // The new topic is numbered past every earlier one and holds exactly the lassoed documents (a topic the lasso took whole is gone).
    const numbers = (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-cluster'))))) as number[];
    expect(Math.max(...numbers)).toBe(4);
    const newest = page.locator('[data-testid="topic-row"][data-cluster="4"]');
    expect(Number((await newest.getByTestId('topic-size').innerText()).replace(/,/g, ''))).toBe(lassoed);
    const topicsAfterMove = numbers.length;

    // The topic list as CSV (one record per topic, the name kept) and as a LaTeX table.
    await page.getByTestId('topics-export').click();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('topics-export-csv').click()]);
    const csvPath = join(dir, csvDownload.suggestedFilename());
    await csvDownload.saveAs(csvPath);
    expect(csvDownload.suggestedFilename()).toMatch(/^topics-\d+\.csv$/);
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('cluster,name,size,study_words,ctfidf_words,example_1,example_2,example_3');
    expect(lines.length).toBe(topicsAfterMove + 1);
    // The named topic keeps its name (unless the lasso took all of its documents).
    if (numbers.includes(Number(firstCluster))) expect(lines.find((l) => l.startsWith(`${firstCluster},`))).toContain(',映画の話題,');
    expect(lines.slice(1).reduce((sum, l) => sum + Number(l.split(',')[2]), 0)).toBe(120);
    await page.getByTestId('topics-export').click();
    const [texDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('topics-export-latex').click()]);
    const texPath = join(dir, texDownload.suggestedFilename());
    await texDownload.saveAs(texPath);
    const tex = readFileSync(texPath, 'utf8');
    expect(tex).toContain('\\begin{tabular}');
    expect(tex).toContain('クラスタ & 名前 & 文書数');
    if (numbers.includes(Number(firstCluster))) expect(tex).toContain('映画の話題');
    expect(tex.match(/\\\\$/gm)?.length).toBe(topicsAfterMove + 1);

    // Undo takes the new topic back.
    await page.getByTestId('topic-undo').click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    expect(await page.getByTestId('error').count()).toBe(0);
  }, 300_000);
});
