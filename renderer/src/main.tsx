import '@mantine/core/styles.css';
import './app.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { errorMessage, languageFromLocale } from '../../common/messages';
import { errorInfoOf, getApi } from './api';
import { App } from './App';
import { initI18n } from './i18n';
import { AppProvider } from './state/AppContext';
import { theme } from './theme';

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    const api = await getApi();
    const [info, settings, project] = await Promise.all([
      api.call('app.info', {}),
      api.call('settings.get', {}),
      api.call('project.current', {}),
    ]);
    initI18n(settings.language);
    root.render(
      <StrictMode>
        <AppProvider api={api} info={info} initialSettings={settings} initialProject={project}>
          <App />
        </AppProvider>
      </StrictMode>,
    );
  } catch (err) {
    const language = languageFromLocale(navigator.language);
    initI18n(language);
    root.render(
      <MantineProvider theme={theme}>
        <pre className="fatal">{errorMessage(errorInfoOf(err), language)}</pre>
      </MantineProvider>,
    );
  }
}

void start();
