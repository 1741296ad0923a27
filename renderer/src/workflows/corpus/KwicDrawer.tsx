// A word's concordance over whatever view is shown (app.openKwic: a label word on the topic map),
// the KWIC tab's search in a drawer, run at once; its lines open the document as the tab's do.
import { Drawer } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../state/AppContext';
import { KwicTab } from './KwicTab';
import { emptyKwicState, type KwicState } from './tabState';

export function KwicDrawer() {
  const { t } = useTranslation();
  const app = useApp();
  const target = app.kwic;
  const [state, setState] = useState<KwicState>(emptyKwicState);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!target) return;
    setState({ ...emptyKwicState, word: target.word, corpus: target.corpusId });
    setAsked((n) => n + 1);
  }, [target]);

  return (
    <Drawer
      opened={target !== null}
      onClose={() => app.openKwic(null)}
      position="bottom"
      size="60%"
      title={t('kwic.drawerTitle', { word: target?.word ?? '' })}
      data-testid="kwic-drawer"
    >
      <div data-testid="kwic-drawer-body" style={{ height: 'calc(60vh - 90px)' }}>{target && <KwicTab state={state} setState={setState} focus={0} autoRun={asked} />}</div>
    </Drawer>
  );
}
