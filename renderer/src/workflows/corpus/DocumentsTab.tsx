import { Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { splitNames, type SplitName } from '../../../../common/contract';
import { DocumentPages } from './documentPages';
import { useApp } from '../../state/AppContext';
import type { DocumentsState } from './tabState';
import { CorpusSelect } from '../../ui/CorpusSelect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Highlighted } from '../../ui/Highlighted';
import { PredictionControls } from '../prediction/PredictionControls';

const rowHeight = 34;
const widths = { n: 80, title: 240, label: 120, split: 70, chars: 80, predicted: 170 };

export function DocumentsTab(props: { state: DocumentsState; setState: Dispatch<SetStateAction<DocumentsState>>; focus: number }) {
  const { t } = useTranslation();
  const app = useApp();
  const { state, setState } = props;
  const [input, setInput] = useState(state.query);
  const [debounced] = useDebouncedValue(input, 250);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, setVersion] = useState(0);

  useEffect(() => {
    if (props.focus) {
      searchRef.current?.focus();
      searchRef.current?.select();
    }
  }, [props.focus]);

  useEffect(() => {
    setState((s) => (s.query === debounced ? s : { ...s, query: debounced }));
  }, [debounced, setState]);

  const corpus = app.corpora.find((c) => c.id === app.corpusId) ?? null;
  const corpusId = corpus?.id ?? null;

  // One page cache per query; a new query starts empty.
  const pages = useMemo(() => {
    if (corpusId === null) return null;
    return new DocumentPages(
      (offset, limit) =>
        app.api.call('corpus.documents', { corpusId, query: state.query.trim(), label: state.label, split: state.split, offset, limit, ...(state.prediction ? { prediction: state.prediction } : {}) }),
      () => setVersion((v) => v + 1),
    );
    // `corpus` (its document count) changes when an import into it finishes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [app.api, corpusId, corpus?.documents, state.query, state.label, state.split, state.prediction]);

  // A replaced cache is simply dropped: a late page arriving into it only causes a re-render.
  useEffect(() => {
    pages?.ensure(0, 0);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [pages]);

  const total = pages?.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  // Fetch what is in view once scrolling pauses briefly: dragging the scrollbar across
  // 100,000 rows does not request every page on the way.
  useEffect(() => {
    if (!pages || total === 0) return;
    const timer = setTimeout(() => pages.ensure(first, last), 60);
    return () => clearTimeout(timer);
  }, [pages, first, last, total]);

  const labels = corpus?.labels.map((l) => ({ value: l.label, label: t('documents.labelOption', { label: l.label, count: l.count }) })) ?? [];

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', gap: 8 }}>
      <Group align="flex-end" gap="sm">
        <CorpusSelect />
        <TextInput
          ref={searchRef}
          data-testid="doc-search"
          label={t('documents.search')}
          placeholder={t('documents.searchPlaceholder')}
          value={input}
          onChange={(e) => setInput(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 200 }}
        />
        <Select
          data-testid="doc-label-filter"
          label={t('documents.labelFilter')}
          placeholder={t('documents.allLabels')}
          data={labels}
          value={state.label}
          clearable
          w={180}
          onChange={(v) => setState((s) => ({ ...s, label: v }))}
        />
        <Select
          data-testid="doc-split-filter"
          label={t('documents.splitFilter')}
          placeholder={t('documents.allSplits')}
          data={splitNames.map((s) => ({ value: s, label: t(`splits.${s}`) }))}
          value={state.split}
          clearable
          w={140}
          onChange={(v) => setState((s) => ({ ...s, split: v as SplitName | null }))}
        />
        <PredictionControls corpusId={corpusId} value={state.prediction ?? null} onChange={(prediction) => setState((s) => ({ ...s, prediction }))} />
        <Text data-testid="doc-total" size="sm" pb={8} fw={600}>
          {pages?.total === null || !pages ? t('documents.loading') : t('documents.total', { count: total, formatted: total.toLocaleString() })}
        </Text>
      </Group>
      {!corpus && (
        <Text c="dimmed" size="sm">
          {t('documents.noCorpus')}
        </Text>
      )}
      <ErrorAlert error={pages?.error ?? null} />
      <div className="doc-grid-head" role="row">
        <div style={{ width: widths.n }}>{t('documents.columns.n')}</div>
        <div style={{ width: widths.title }}>{t('documents.columns.title')}</div>
        <div style={{ width: widths.label }}>{t('documents.columns.label')}</div>
        <div style={{ width: widths.split }}>{t('documents.columns.split')}</div>
        <div style={{ width: widths.chars, textAlign: 'right' }}>{t('documents.columns.chars')}</div>
        {state.prediction && <div style={{ width: widths.predicted }}>{t('prediction.corpus.column')}</div>}
        <div style={{ flex: 1 }}>{t('documents.columns.snippet')}</div>
      </div>
      <div ref={scrollRef} data-testid="doc-table" role="grid" style={{ flex: 1, minHeight: 200, overflow: 'auto', contain: 'strict' }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {items.map((item) => {
            const row = pages?.row(item.index);
            const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` };
            if (!row) {
              return (
                <div key={item.key} className="doc-grid-row" style={style} aria-busy="true">
                  <div style={{ width: widths.n }}>{item.index + 1}</div>
                  <div style={{ flex: 1, color: 'var(--mantine-color-dimmed)' }}>{t('documents.loadingRow')}</div>
                </div>
              );
            }
            return (
              <div
                key={item.key}
                data-testid="doc-row"
                role="row"
                className="doc-grid-row"
                style={style}
                onClick={() => app.openDocument({ documentId: row.id, query: state.query.trim() || undefined })}
              >
                <div style={{ width: widths.n }}>{row.ordinal + 1}</div>
                <div style={{ width: widths.title }} title={row.title ?? ''}>
                  {row.title ?? ''}
                </div>
                <div style={{ width: widths.label }}>{row.label ?? ''}</div>
                <div style={{ width: widths.split }}>{t(`splits.${row.split}`)}</div>
                <div style={{ width: widths.chars, textAlign: 'right' }}>{row.chars.toLocaleString()}</div>
                {state.prediction && (
                  <div style={{ width: widths.predicted }} data-testid="doc-predicted" title={row.prediction ? row.prediction.confidence.toFixed(4) : ''}>
                    {row.prediction ? `${row.prediction.labels.join(t('common.listSeparator'))} (${row.prediction.confidence.toFixed(3)})` : '—'}
                  </div>
                )}
                <div style={{ flex: 1 }}>
                  <Highlighted text={row.snippet.text} spans={row.snippet.highlights} />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
