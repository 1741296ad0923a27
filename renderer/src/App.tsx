import { AppShell, Badge, Divider, MantineProvider, NavLink, Stack, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { Header } from './shell/Header';
import { ProjectScreen } from './shell/ProjectScreen';
import { useApp } from './state/AppContext';
import { theme } from './theme';
import { JobBar } from './ui/JobBar';
import { workflows } from './workflows';
import { availabilityOf, shownWorkflow, type Workflow, type WorkflowContext, type WorkflowId } from './workflows/types';

export function App() {
  const app = useApp();
  return (
    <MantineProvider theme={theme} forceColorScheme={app.settings.theme}>
      {app.project ? <Workbench /> : <ProjectShell />}
    </MantineProvider>
  );
}

function ProjectShell() {
  return (
    <AppShell header={{ height: 52 }} padding="md">
      <AppShell.Header>
        <Header />
      </AppShell.Header>
      <AppShell.Main style={{ paddingBottom: 'calc(var(--job-bar-height, 0px) + 16px)' }}>
        <ProjectScreen />
      </AppShell.Main>
      <JobBar />
    </AppShell>
  );
}

/** The open project: the navigation by workflow (DESIGN.md "UI"), then the machinery, and the page of the one chosen. */
function Workbench() {
  const app = useApp();
  const [chosen, setChosen] = useState<WorkflowId>(workflows[0].id);
  // Each workflow's page state, kept while another page is shown.
  const [states, setStates] = useState<Record<WorkflowId, unknown>>(() => Object.fromEntries(workflows.map((w) => [w.id, w.page?.initialState])));
  const setters = useMemo(
    () =>
      Object.fromEntries(
        workflows.map((w): [WorkflowId, Dispatch<SetStateAction<unknown>>] => [
          w.id,
          (next) => setStates((all) => ({ ...all, [w.id]: typeof next === 'function' ? next(all[w.id]) : next })),
        ]),
      ),
    [],
  );
  const context: WorkflowContext = { projectOpen: app.project !== null, corpora: app.corpora.length };
  const shown = shownWorkflow(workflows, chosen, context);

  const choose = (w: Workflow) => {
    // Its entry again from inside its page (a run's page) goes back to where it starts (the list of runs).
    if (w.id === shown?.id && w.page?.reselect) setters[w.id](w.page.reselect(states[w.id]));
    setChosen(w.id);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const key = e.key.toLowerCase();
      for (const w of workflows) {
        const shortcut = w.shortcuts?.find((s) => s.key === key);
        if (!shortcut || availabilityOf(w, context) !== 'available') continue;
        e.preventDefault();
        const next = shortcut.run(states[w.id], app);
        if (next !== null) {
          setters[w.id](next);
          setChosen(w.id);
        }
        return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const Page = shown?.page?.Component;
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Header />
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <Stack gap={2}>
          {workflows
            .filter((w) => w.group === 'research')
            .map((w) => (
              <NavEntry key={w.id} workflow={w} context={context} active={w.id === shown?.id} onChoose={() => choose(w)} />
            ))}
          <Divider my="xs" />
          {workflows
            .filter((w) => w.group === 'tools')
            .map((w) => (
              <NavEntry key={w.id} workflow={w} context={context} active={w.id === shown?.id} onChoose={() => choose(w)} />
            ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main
        style={{
          display: 'flex',
          flexDirection: 'column',
          height: '100dvh',
          paddingBottom: 'calc(var(--job-bar-height, 0px) + 16px)',
          overflow: shown?.page?.fill ? undefined : 'auto',
        }}
      >
        {shown && Page && <Page state={states[shown.id]} setState={setters[shown.id]} go={setChosen} />}
      </AppShell.Main>
      <JobBar onShowAll={() => setChosen('jobs')} />
      {workflows.map((w) => w.Overlays && <w.Overlays key={w.id} go={setChosen} />)}
    </AppShell>
  );
}

/** A workflow's entry: chosen, or greyed out with the reason (planned, needs a corpus…). */
function NavEntry({ workflow: w, context, active, onChoose }: { workflow: Workflow; context: WorkflowContext; active: boolean; onChoose(): void }) {
  const { t } = useTranslation();
  const availability = availabilityOf(w, context);
  if (availability === 'available') {
    return <NavLink data-testid={`nav-${w.id}`} label={t(w.label)} leftSection={w.icon} active={active} onClick={onChoose} />;
  }
  const coming = availability === 'coming';
  return (
    <Tooltip label={t(`nav.${coming ? 'comingHint' : availability}`)} position="right">
      <NavLink
        data-testid={`nav-${w.id}`}
        label={t(w.label)}
        leftSection={w.icon}
        disabled
        rightSection={
          coming && (
            <Badge size="xs" variant="light" color="gray">
              {t('nav.coming')}
            </Badge>
          )
        }
      />
    </Tooltip>
  );
}
