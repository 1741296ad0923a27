import { Button, Group, NumberInput, Select, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import type { KwicSort } from '../../../../common/contract';
import { useApp } from '../../state/AppContext';
import type { KwicState } from './tabState';
import { CorpusSelect } from '../../ui/CorpusSelect';
import { ErrorAlert } from '../../ui/ErrorAlert';

const kwicLimit = 5000;

/** Keyword in context, as in KH Coder: the keyword centred, contexts either side. */
export function KwicTab(props: { state: KwicState; setState: Dispatch<SetStateAction<KwicState>>; focus: number; /** Runs the search each time it changes (not 0): a word opened from another view. */ autoRun?: number }) {
  const { t } = useTranslation();
  const app = useApp();
  const { state, setState } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const wordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (props.focus) {
      wordRef.current?.focus();
      wordRef.current?.select();
    }
  }, [props.focus]);

  useEffect(() => {
    if (props.autoRun) void run();
    // Only a new ask runs it; `run` reads the state it was asked with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.autoRun]);

  const corpusValue = state.corpus === null ? (app.corpusId === null ? null : String(app.corpusId)) : String(state.corpus);

  const run = async (patch: Partial<KwicState> = {}) => {
    const s = { ...state, ...patch };
    setState(s);
    if (!s.word.trim()) return;
    const corpus = s.corpus === null ? app.corpusId : s.corpus;
    setBusy(true);
    setError(null);
    try {
      const result = await app.api.call('corpus.kwic', {
        corpusId: corpus === 'all' ? null : corpus,
        word: s.word.trim(),
        width: s.width,
        sort: s.sort,
        limit: kwicLimit,
      });
      setState((cur) => ({ ...cur, result: { ...result, word: s.word.trim() } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const result = state.result;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', gap: 8 }}>
      <Group align="flex-end" gap="sm">
        <CorpusSelect withAll value={corpusValue} onChange={(v) => setState((s) => ({ ...s, corpus: v === 'all' ? 'all' : Number(v) }))} />
        <TextInput
          ref={wordRef}
          data-testid="kwic-word"
          label={t('kwic.word')}
          value={state.word}
          onChange={(e) => {
            const word = e.currentTarget.value;
            setState((s) => ({ ...s, word }));
          }}
          onKeyDown={(e) => e.key === 'Enter' && void run()}
          style={{ flex: 1, minWidth: 160 }}
        />
        <NumberInput
          data-testid="kwic-width"
          label={t('kwic.width')}
          min={1}
          max={500}
          allowDecimal={false}
          value={state.width}
          w={130}
          onChange={(v) => setState((s) => ({ ...s, width: typeof v === 'number' && v >= 1 ? Math.min(500, v) : 30 }))}
        />
        <Select
          data-testid="kwic-sort"
          label={t('kwic.sort')}
          data={(['document', 'left', 'right'] as KwicSort[]).map((s) => ({ value: s, label: t(`kwic.sorts.${s}`) }))}
          value={state.sort}
          allowDeselect={false}
          w={160}
          onChange={(v) => v && void run({ sort: v as KwicSort })}
        />
        <Button data-testid="kwic-run" loading={busy} onClick={() => void run()}>
          {t('kwic.run')}
        </Button>
        <Text data-testid="kwic-total" size="sm" pb={8} fw={600}>
          {result ? t('kwic.total', { count: result.total, formatted: result.total.toLocaleString() }) : ''}
        </Text>
      </Group>
      <ErrorAlert error={error} />
      {result && result.lines.length < result.total && (
        <Text size="xs" c="dimmed">
          {t('kwic.truncated', { shown: result.lines.length })}
        </Text>
      )}
      <div style={{ flex: 1, minHeight: 200, overflow: 'auto' }}>
        {result && (
          <table className="kwic-table">
            <colgroup>
              <col style={{ width: 64 }} />
              <col style={{ width: 140 }} />
              <col />
              <col style={{ width: `${Math.max(4, result.word.length + 2)}em` }} />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th>{t('kwic.columns.n')}</th>
                <th>{t('kwic.columns.document')}</th>
                <th style={{ textAlign: 'right' }}>{t('kwic.columns.left')}</th>
                <th>{t('kwic.columns.keyword')}</th>
                <th style={{ textAlign: 'left' }}>{t('kwic.columns.right')}</th>
              </tr>
            </thead>
            <tbody>
              {result.lines.map((line, i) => (
                <tr
                  key={`${line.documentId}-${line.start}-${i}`}
                  data-testid="kwic-line"
                  className="kwic-line"
                  onClick={() => app.openDocument({ documentId: line.documentId, span: [line.start, line.start + line.keyword.length] })}
                >
                  <td>{i + 1}</td>
                  <td title={line.title ?? ''} style={{ textOverflow: 'ellipsis' }}>
                    {line.title ?? t('kwic.documentId', { id: line.documentId })}
                  </td>
                  <td>
                    <div className="kwic-left">
                      <span>{line.left}</span>
                    </div>
                  </td>
                  <td className="kwic-key">{line.keyword}</td>
                  <td className="kwic-right">{line.right}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
