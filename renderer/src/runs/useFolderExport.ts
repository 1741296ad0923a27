// The state of a run page's export card: Electron picks a folder natively (the contract has no
// save-file or export-folder purpose, so the import folder picker); browser mode asks for a path on
// the server (the card's PathModal, opened while `asking`). What the write returns is kept as `done`.
import { useState } from 'react';
import { useApp } from '../state/AppContext';

export function useFolderExport<R>(
  /** Writes the export to a path: the one typed in the PathModal, or `fromFolder` of the picked folder. */
  write: (path: string) => Promise<R>,
  fromFolder: (folder: string) => string = (folder) => folder,
) {
  const app = useApp();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<R | null>(null);

  /** The PathModal's submit (its errors are the modal's to show), and the end of a native pick. */
  const submit = async (path: string) => {
    setDone(await write(path));
    setAsking(false);
  };
  const start = async () => {
    setError(null);
    setDone(null);
    if (!app.info.nativeDialogs) {
      setAsking(true);
      return;
    }
    setBusy(true);
    try {
      const { path } = await app.api.call('dialog.pick', { purpose: 'importFolder' });
      if (path) await submit(fromFolder(path));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { asking, busy, error, done, start, submit, close: () => setAsking(false) };
}
