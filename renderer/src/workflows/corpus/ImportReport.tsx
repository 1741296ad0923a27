import { Button, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportReport as Report } from '../../../../common/contract';
import { useApp } from '../../state/AppContext';

/** After an import job finishes: what went in, what was skipped and why. */
export function ImportReport() {
  const { t } = useTranslation();
  const app = useApp();
  const job = app.reportJob;
  const report = job?.result && 'corpusId' in job.result ? (job.result as Report) : null;

  return (
    <Modal opened={report !== null} onClose={app.dismissReport} title={t('report.title')} size="lg">
      {report && (
        <Stack data-testid="import-report">
          <Text fw={600}>{t('report.corpus', { name: report.name })}</Text>
          <Table withTableBorder>
            <Table.Tbody>
              <Row label={t('report.documents')} value={report.documents} />
              <Row label={t('report.emptySkipped')} value={report.emptySkipped} />
              <Row label={t('report.duplicates')} value={report.duplicates} />
              <Row label={t('report.badRows')} value={report.badRowCount} />
              <Row label={t('report.format')} value={t(`formats.${report.format}`)} />
              <Row label={t('report.encoding')} value={report.encoding} />
              <Row
                label={t('report.splits')}
                value={t('report.splitCounts', { train: report.splits.train, dev: report.splits.dev, test: report.splits.test })}
              />
              <Row label={t('report.seconds')} value={t('report.secondsValue', { seconds: report.seconds.toFixed(1) })} />
            </Table.Tbody>
          </Table>
          {report.badRows.length > 0 && (
            <Stack gap={4}>
              <Text fw={600} size="sm">
                {t('report.badRowList', { shown: report.badRows.length, total: report.badRowCount })}
              </Text>
              <ScrollArea.Autosize mah={220}>
                <Table fz="xs" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={80}>{t('report.line')}</Table.Th>
                      <Table.Th>{t('report.message')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.badRows.map((row, i) => (
                      <Table.Tr key={i} data-testid="import-bad-row">
                        <Table.Td>{row.line}</Table.Td>
                        <Table.Td>{app.message(row.error)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            </Stack>
          )}
          <Group justify="flex-end">
            <Button data-testid="import-report-close" onClick={app.dismissReport}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function Row({ label, value }: { label: string; value: string | number }) {
  return (
    <Table.Tr>
      <Table.Th w="40%">{label}</Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
}
