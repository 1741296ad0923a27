import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApp } from '../state/AppContext';

/** The selected corpus, shared by Documents and Statistics (KWIC may add "all corpora"). */
export function CorpusSelect(props: { value?: string | null; onChange?(value: string): void; withAll?: boolean }) {
  const { t } = useTranslation();
  const app = useApp();
  const data = app.corpora.map((c) => ({ value: String(c.id), label: t('corpus.option', { name: c.name, count: c.documents.toLocaleString() }) }));
  if (props.withAll) data.unshift({ value: 'all', label: t('corpus.all') });
  const value = props.value !== undefined ? props.value : app.corpusId === null ? null : String(app.corpusId);
  return (
    <Select
      data-testid="corpus-select"
      label={t('corpus.label')}
      placeholder={app.corpora.length ? undefined : t('corpus.none')}
      data={data}
      value={value}
      allowDeselect={false}
      w={260}
      onChange={(v) => {
        if (v === null) return;
        if (props.onChange) props.onChange(v);
        else app.setCorpusId(Number(v));
      }}
    />
  );
}
