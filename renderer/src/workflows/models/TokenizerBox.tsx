import { Card, Group, Loader, NumberInput, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TokenView } from '../../../../common/contract';
import { baseName } from '../../format';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Highlighted } from '../../ui/Highlighted';

/** Type a text, see the model's tokens with their ids and character spans. */
export function TokenizerBox(props: { model: string; onModel(path: string): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [text, setText] = useState('');
  const [maxLength, setMaxLength] = useState<number | null>(null);
  // Primitives only: an object here would be a new value each render and never settle.
  const [debouncedText] = useDebouncedValue(text, 250);
  const [debouncedMax] = useDebouncedValue(maxLength, 250);
  const model = props.model;
  const [result, setResult] = useState<{ tokens: TokenView[]; truncated: number; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [hover, setHover] = useState<number | null>(null);

  useLiveEffect((isLive) => {
    setError(null);
    setHover(null);
    if (!debouncedText) {
      setResult(null);
      return;
    }
    setBusy(true);
    app.api
      .call('models.tokenize', { path: model, text: debouncedText, ...(debouncedMax !== null ? { maxLength: debouncedMax } : {}) })
      .then(
        (r) => isLive() && setResult({ ...r, text: debouncedText }),
        (err: unknown) => {
          if (!isLive()) return;
          setResult(null);
          setError(err);
        },
      )
      .finally(() => isLive() && setBusy(false));
  }, [app.api, model, debouncedText, debouncedMax]);

  const hovered = hover !== null ? result?.tokens[hover] : undefined;
  const spans: [number, number][] = hovered && hovered.end > hovered.start ? [[hovered.start, hovered.end]] : [];

  return (
    <Card withBorder data-testid="tokenizer-box">
      <Stack gap="sm">
        <Title order={4}>{t('tokenizer.title')}</Title>
        <Group align="flex-start" grow>
          <Select
            data-testid="tokenize-model"
            label={t('tokenizer.model')}
            data={app.settings.models.map((p) => ({ value: p, label: baseName(p) || p }))}
            value={props.model}
            allowDeselect={false}
            onChange={(v) => v && props.onModel(v)}
          />
          <NumberInput
            data-testid="tokenize-max-length"
            label={t('tokenizer.maxLength')}
            description={t('tokenizer.maxLengthHint')}
            min={2}
            max={100_000}
            allowDecimal={false}
            value={maxLength ?? ''}
            onChange={(v) => setMaxLength(typeof v === 'number' && v >= 2 ? v : null)}
          />
        </Group>
        <Textarea
          data-testid="tokenize-input"
          label={t('tokenizer.text')}
          placeholder={t('tokenizer.placeholder')}
          autosize
          minRows={2}
          maxRows={8}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <ErrorAlert error={error} />
        {busy && !result && <Loader size="xs" />}
        {result && (
          <Stack gap="xs">
            <Group gap="md">
              <Text size="sm" fw={600} data-testid="token-count">
                {t('tokenizer.count', { count: result.tokens.length })}
              </Text>
              {result.truncated > 0 && (
                <Text size="sm" c="orange" data-testid="token-truncated">
                  {t('tokenizer.truncated', { count: result.truncated })}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {t('tokenizer.hoverHint')}
              </Text>
            </Group>
            <Paper withBorder p="xs" className="doc-text" data-testid="tokenize-text">
              <Highlighted text={result.text} spans={spans} />
            </Paper>
            <Group gap={6} onMouseLeave={() => setHover(null)}>
              {result.tokens.map((tok, i) => (
                <TokenChip key={i} token={tok} active={hover === i} onHover={() => setHover(i)} />
              ))}
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function TokenChip({ token, active, onHover }: { token: TokenView; active: boolean; onHover(): void }) {
  const { t } = useTranslation();
  const hasSpan = token.end > token.start;
  return (
    <Paper
      data-testid="token-chip"
      data-special={token.special ? 'true' : undefined}
      withBorder
      px={6}
      py={2}
      radius="sm"
      onMouseEnter={onHover}
      onFocus={onHover}
      tabIndex={0}
      style={{
        cursor: 'default',
        borderStyle: token.special ? 'dashed' : undefined,
        background: active
          ? 'var(--mantine-color-yellow-light)'
          : token.special
            ? 'var(--mantine-color-gray-light)'
            : undefined,
      }}
      title={token.special ? t('tokenizer.special') : undefined}
    >
      <Text size="sm" fw={token.special ? 400 : 600} c={token.special ? 'dimmed' : undefined} style={{ whiteSpace: 'pre' }}>
        {token.token}
      </Text>
      <Text size="10px" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {t('tokenizer.chipMeta', { id: token.id, span: hasSpan ? t('tokenizer.span', { start: token.start, end: token.end }) : t('tokenizer.noSpan') })}
      </Text>
    </Paper>
  );
}
