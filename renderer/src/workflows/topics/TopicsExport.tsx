// A clustering's topic list as a file: CSV (one row per topic) or a LaTeX booktabs table, with the
// topics as edited (names, pinned words first), both methods' label words and example titles;
// headings, caption and the noise topic's name in the reader's language.
import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ClusterRunDetail } from '../../../../common/contract';
import { topicsCsv, topicsLatex, type TopicsLatexHeadings } from '../../../../common/topicsTable';
import { textBytes } from '../../charts/csv';
import { downloadBytes } from '../../charts/download';

export function TopicsExport({ run }: { run: ClusterRunDetail }) {
  const { t } = useTranslation();
  const options = { words: 10, examples: 3, noise: t('topics.export.noise') };
  const documents = run.topics.reduce((s, tp) => s + tp.size, 0);
  const save = (kind: 'csv' | 'latex') => {
    if (kind === 'csv') {
      downloadBytes(textBytes(topicsCsv(run.topics, options)), `topics-${run.id}.csv`, 'text/csv;charset=utf-8');
      return;
    }
    const headings = t('topics.export.headings', { returnObjects: true }) as unknown as TopicsLatexHeadings;
    const caption = t('topics.export.caption', { name: run.name, count: run.topics.filter((tp) => tp.cluster !== -1).length, documents });
    // LaTeX files are read by TeX, not Excel: plain UTF-8, no BOM.
    downloadBytes(new TextEncoder().encode(topicsLatex(run.topics, { ...options, headings, caption })), `topics-${run.id}.tex`, 'application/x-tex;charset=utf-8');
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button data-testid="topics-export" size="xs" variant="default">
          {t('topics.export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item data-testid="topics-export-csv" onClick={() => save('csv')}>
          {t('topics.export.csv')}
        </Menu.Item>
        <Menu.Item data-testid="topics-export-latex" onClick={() => save('latex')}>
          {t('topics.export.latex')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
