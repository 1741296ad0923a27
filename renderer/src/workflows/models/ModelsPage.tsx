import { Alert, Badge, Button, Card, Code, Group, Loader, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelInfo, TokenizerKindName } from '../../../../common/contract';
import { formatCount } from '../../format';
import { useApp } from '../../state/AppContext';
import { forgetModel, inspectModel, rememberModel } from '../../state/modelInfo';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { HubBox } from './HubBox';
import { MissingModels } from './MissingModels';
import { TokenizerBox } from './TokenizerBox';
import { Fact } from '../../ui/Fact';

/** i18n keys may not contain dots: tokenizer.json → tokenizerJson. */
export const tokenizerKindKey: Record<TokenizerKindName, string> = {
  wordpiece: 'wordpiece',
  'bert-japanese': 'bertJapanese',
  'tokenizer.json': 'tokenizerJson',
};

type Checked = { info: ModelInfo; error?: undefined } | { info?: undefined; error: unknown };

/** The remembered model folders, each with its check report, and a tokenizer to try. */
export function ModelsPage() {
  const { t } = useTranslation();
  const app = useApp();
  const [checked, setChecked] = useState<ReadonlyMap<string, Checked>>(new Map());
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tokenizerModel, setTokenizerModel] = useState<string | null>(null);
  const models = app.settings.models;

  // Inspect every folder not checked yet (a folder removed and added again is checked again).
  useLiveEffect((isLive) => {
    for (const p of models) {
      if (checked.has(p)) continue;
      inspectModel(app.api, p).then(
        (info) => isLive() && setChecked((m) => new Map(m).set(p, { info })),
        (err: unknown) => isLive() && setChecked((m) => new Map(m).set(p, { error: err })),
      );
    }
  }, [app.api, models, checked]);

  const add = async (folder: string) => {
    setBusy(true);
    setError(null);
    try {
      const info = await app.api.call('models.add', { path: folder });
      rememberModel(app.api, info.path, info);
      setChecked((m) => new Map(m).set(info.path, { info }));
      await app.refreshSettings();
      setPath('');
      setTokenizerModel(info.path);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const pick = async () => {
    setError(null);
    try {
      // The contract has no model-folder purpose yet; a folder picker is what is needed.
      const { path: p } = await app.api.call('dialog.pick', { purpose: 'importFolder' });
      if (p) await add(p);
    } catch (err) {
      setError(err);
    }
  };

  const recheck = (p: string) => {
    forgetModel(app.api, p);
    setChecked((m) => {
      const next = new Map(m);
      next.delete(p);
      return next;
    });
  };

  const remove = async (p: string) => {
    setError(null);
    try {
      await app.refreshSettings(await app.api.call('models.remove', { path: p }));
      forgetModel(app.api, p);
      setChecked((m) => {
        const next = new Map(m);
        next.delete(p);
        return next;
      });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack gap="md" pb="md" data-testid="models-view">
      <div>
        <Title order={3}>{t('models.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('models.intro')}
        </Text>
      </div>
      {app.info.nativeDialogs ? (
        <Group>
          <Button data-testid="model-add" loading={busy} onClick={() => void pick()}>
            {t('models.add')}
          </Button>
        </Group>
      ) : (
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            data-testid="model-path-input"
            label={t('models.pathLabel')}
            description={t('models.pathHint')}
            value={path}
            onChange={(e) => setPath(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && path.trim() && void add(path.trim())}
            style={{ flex: 1 }}
          />
          <Button data-testid="model-add" loading={busy} disabled={!path.trim()} onClick={() => void add(path.trim())}>
            {t('models.addPath')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={error} />
      <MissingModels />
      <HubBox />
      {models.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('models.none')}
        </Text>
      )}
      {models.map((p) => (
        <ModelCard key={p} path={p} checked={checked.get(p)} onRemove={() => void remove(p)} onRecheck={() => recheck(p)} onTry={() => setTokenizerModel(p)} />
      ))}
      {models.length > 0 && <TokenizerBox model={tokenizerModel && models.includes(tokenizerModel) ? tokenizerModel : models[0]} onModel={setTokenizerModel} />}
    </Stack>
  );
}

function ModelCard(props: { path: string; checked: Checked | undefined; onRemove(): void; onRecheck(): void; onTry(): void }) {
  const { t } = useTranslation();
  const { info, error } = props.checked ?? {};
  const heads = info ? (['pooler', 'mlm', 'classifier'] as const).filter((h) => info.loadedHeads[h]) : [];
  const problems = info && (info.missing.length > 0 || info.misshaped.length > 0);
  const notes = info && (problems || info.unexpected.length > 0 || info.warnings.length > 0);

  return (
    <Card withBorder data-testid="model-card" data-path={props.path}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
        <div style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Title order={4}>{info?.name ?? props.path}</Title>
            {info && (
              <Badge variant="light" tt="none" data-testid="model-architecture">
                {info.architecture}
              </Badge>
            )}
            {info && (
              <Badge variant="outline" color="gray" tt="none" title="model_type">
                {info.modelType}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" truncate title={props.path}>
            {props.path}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          {info && (
            <Button size="compact-sm" variant="light" onClick={props.onTry}>
              {t('models.tryTokenizer')}
            </Button>
          )}
          {props.checked && (
            <Button size="compact-sm" variant="default" onClick={props.onRecheck}>
              {t('models.recheck')}
            </Button>
          )}
          <Button data-testid="model-remove" size="compact-sm" variant="default" title={t('models.removeHint')} onClick={props.onRemove}>
            {t('models.remove')}
          </Button>
        </Group>
      </Group>
      {!props.checked && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">{t('models.checking')}</Text>
        </Group>
      )}
      <ErrorAlert error={error ?? null} />
      {info && (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
            <Fact label={t('models.fields.classes')}>{info.classes.length ? info.classes.join(t('common.listSeparator')) : t('models.noneValue')}</Fact>
            <Fact label={t('models.fields.parameters')}>
              <span title={info.parameters.toLocaleString()}>{formatCount(info.parameters)}</span>
            </Fact>
            <Fact label={t('models.fields.shape')}>
              {t('models.shapeValue', { layers: info.layers, hidden: info.hiddenSize, heads: info.heads })}
            </Fact>
            <Fact label={t('models.fields.maxPositions')}>{info.maxPositions.toLocaleString()}</Fact>
            <Fact label={t('models.fields.vocab')}>{info.vocabSize.toLocaleString()}</Fact>
            <Fact label={t('models.fields.tokenizer')}>
              {t('models.tokenizerValue', {
                kind: t(`models.tokenizerKinds.${tokenizerKindKey[info.tokenizer.kind]}`),
                vocab: info.tokenizer.vocabSize.toLocaleString(),
              })}
              <Text size="xs" c="dimmed">
                {info.tokenizer.description}
              </Text>
            </Fact>
            <Fact label={t('models.fields.weights')}>
              <Code>{info.weightsFile}</Code>
              <Text size="xs" c="dimmed">
                {Object.entries(info.dtypes)
                  .map(([dtype, count]) => t('models.dtypeCount', { dtype, count }))
                  .join(t('common.listSeparator'))}
              </Text>
            </Fact>
            <Fact label={t('models.fields.heads')}>
              {heads.length ? heads.map((h) => t(`models.headNames.${h}`)).join(t('common.listSeparator')) : t('models.noHeads')}
            </Fact>
            <Fact label={t('models.fields.labels')}>{info.labels.length ? info.labels.join(t('common.listSeparator')) : t('models.noneValue')}</Fact>
          </SimpleGrid>
          {notes && (
            <Alert data-testid="model-problems" color={problems ? 'red' : 'yellow'} variant="light" title={problems ? t('models.unusable') : t('models.notes')}>
              <Stack gap={4}>
                <ProblemList title={t('models.missing', { count: info.missing.length })} items={info.missing} />
                <ProblemList title={t('models.misshaped', { count: info.misshaped.length })} items={info.misshaped} />
                <ProblemList title={t('models.unexpected', { count: info.unexpected.length })} items={info.unexpected} />
                <ProblemList title={t('models.warnings', { count: info.warnings.length })} items={info.warnings} />
              </Stack>
            </Alert>
          )}
        </Stack>
      )}
    </Card>
  );
}

const shownProblems = 12;

function ProblemList({ title, items }: { title: string; items: string[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <div>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <Text size="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {items.slice(0, shownProblems).join('\n')}
        {items.length > shownProblems && `\n${t('models.more', { count: items.length - shownProblems })}`}
      </Text>
    </div>
  );
}
