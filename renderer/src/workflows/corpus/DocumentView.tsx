import { Badge, Button, Drawer, Group, Loader, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, Morpheme, Span } from '../../../../common/contract';
import { findAll } from '../../format';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Highlighted } from '../../ui/Highlighted';
import { DocumentAttributions } from '../attribution/DocumentAttributions';

const maxMorphemeRows = 2000;

/** One document: its fields, its text with hits highlighted, optionally its morphemes. */
export function DocumentView() {
  const { t } = useTranslation();
  const app = useApp();
  const target = app.document;
  const [doc, setDoc] = useState<DocumentDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [showMorphemes, setShowMorphemes] = useState(false);
  const [morphemes, setMorphemes] = useState<Morpheme[] | null>(null);
  const [morphError, setMorphError] = useState<unknown>(null);
  const textRef = useRef<HTMLDivElement>(null);

  useLiveEffect((isLive) => {
    setDoc(null);
    setError(null);
    setMorphemes(null);
    setMorphError(null);
    setShowMorphemes(false);
    if (!target) return;
    app.api.call('corpus.document', { documentId: target.documentId }).then(
      (d) => isLive() && setDoc(d),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, target]);

  useLiveEffect((isLive) => {
    if (!showMorphemes || !target || morphemes) return;
    app.api.call('corpus.morphology', { documentId: target.documentId }).then(
      (m) => isLive() && setMorphemes(m),
      (err: unknown) => isLive() && setMorphError(err),
    );
  }, [app.api, showMorphemes, target, morphemes]);

  const spans: Span[] = useMemo(() => {
    if (!doc || !target) return [];
    if (target.span) return [target.span];
    return target.query ? findAll(doc.text, target.query) : [];
  }, [doc, target]);

  // Scroll the KWIC occurrence (or the first hit) into view once the text is there.
  useEffect(() => {
    if (!doc) return;
    const id = requestAnimationFrame(() => {
      const mark = textRef.current?.querySelector('mark[data-current="true"]') ?? textRef.current?.querySelector('mark');
      mark?.scrollIntoView({ block: 'center' });
    });
    return () => cancelAnimationFrame(id);
  }, [doc, spans]);

  const metadata = doc ? Object.entries(doc.metadata) : [];

  return (
    <Drawer
      opened={target !== null}
      onClose={() => app.openDocument(null)}
      position="right"
      size="xl"
      title={t('document.title')}
      scrollAreaComponent={ScrollArea.Autosize}
    >
      <Stack data-testid="doc-view" gap="sm">
        <ErrorAlert error={error} />
        {!doc && !error && <Loader size="sm" />}
        {doc && (
          <>
            <Title order={4}>{doc.title || t('document.untitled', { n: doc.ordinal + 1 })}</Title>
            <Group gap="xs">
              {doc.label && <Badge variant="light">{t('document.labelBadge', { label: doc.label })}</Badge>}
              <Badge variant="outline">{t(`splits.${doc.split}`)}</Badge>
              <Badge variant="outline" color="gray">
                {t('document.chars', { count: doc.text.length })}
              </Badge>
              {doc.duplicateOf !== null && (
                <Badge color="orange" variant="light">
                  {t('document.duplicateOf', { id: doc.duplicateOf })}
                </Badge>
              )}
            </Group>
            {metadata.length > 0 && (
              <Table fz="xs" withTableBorder>
                <Table.Tbody>
                  {metadata.map(([k, v]) => (
                    <Table.Tr key={k}>
                      <Table.Th w="30%">{k}</Table.Th>
                      <Table.Td>{v}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {spans.length > 0 ? t('document.hits', { count: spans.length }) : ''}
              </Text>
              <Button
                data-testid="morph-toggle"
                size="compact-sm"
                variant={showMorphemes ? 'filled' : 'default'}
                aria-pressed={showMorphemes}
                onClick={() => setShowMorphemes((s) => !s)}
              >
                {t('document.morphemes')}
              </Button>
            </Group>
            {!showMorphemes && (
              <div ref={textRef} className="doc-text" data-testid="doc-text">
                <Highlighted text={doc.text} spans={spans} currentStart={target?.span?.[0]} />
              </div>
            )}
            {showMorphemes && (
              <Stack gap="xs" data-testid="morphemes">
                <ErrorAlert error={morphError} />
                {!morphemes && !morphError && <Loader size="sm" />}
                {morphemes && (
                  <>
                    <div className="doc-text">
                      {morphemes.slice(0, maxMorphemeRows * 5).map((m, i) => (
                        <span
                          key={i}
                          className="morph"
                          title={t('document.morphTooltip', { pos: [m.pos, ...m.posDetail].filter((p) => p && p !== '*').join(','), base: m.baseForm, reading: m.reading })}
                        >
                          {m.surface}
                        </span>
                      ))}
                    </div>
                    <Table fz="xs" striped withTableBorder verticalSpacing={2}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('document.morph.surface')}</Table.Th>
                          <Table.Th>{t('document.morph.pos')}</Table.Th>
                          <Table.Th>{t('document.morph.base')}</Table.Th>
                          <Table.Th>{t('document.morph.reading')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {morphemes.slice(0, maxMorphemeRows).map((m, i) => (
                          <Table.Tr key={i} data-testid="morpheme">
                            <Table.Td>{m.surface}</Table.Td>
                            <Table.Td>{[m.pos, ...m.posDetail].filter((p) => p && p !== '*').join(',')}</Table.Td>
                            <Table.Td>{m.baseForm}</Table.Td>
                            <Table.Td>{m.reading}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                    {morphemes.length > maxMorphemeRows && (
                      <Text size="xs" c="dimmed">
                        {t('document.morphTruncated', { shown: maxMorphemeRows, total: morphemes.length })}
                      </Text>
                    )}
                  </>
                )}
              </Stack>
            )}
            {/* Its token heatmaps, where attribution runs (the Attribution workflow) hold its scores. */}
            <DocumentAttributions documentId={doc.id} />
          </>
        )}
      </Stack>
    </Drawer>
  );
}
